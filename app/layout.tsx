import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Personal Automations", template: "%s · Personal Automations" },
  description: "A controlled layer between AI agents and the real world.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}

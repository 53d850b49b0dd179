import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold text-slate-900">This page does not exist</h1>
      <Link href="/" className="text-sm text-brand-600 hover:underline">Back to the overview</Link>
    </main>
  );
}

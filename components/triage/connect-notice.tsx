"use client";

import { useEffect, useState } from "react";
import { ActionNoticeBanner } from "@/components/ui/detail";

// What the Gmail consent round trip came back with (?connected=<account id> or ?connectError=…).
// Shown once: the query is taken off the URL so a reload does not repeat it.

export function ConnectNotice(props: { connectedEmail: string | null; connected: boolean; error: string | null }) {
  // Kept from the first render: the page re-renders without the query once it is taken off.
  const [{ connectedEmail, connected, error }] = useState(props);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has("connected") && !url.searchParams.has("connectError")) return;
    url.searchParams.delete("connected");
    url.searchParams.delete("connectError");
    window.history.replaceState(null, "", url.pathname + url.search);
  }, []);

  if (error) return <ActionNoticeBanner notice={{ tone: "error", text: `Gmail was not connected: ${error}` }} />;
  if (!connected) return null;
  return (
    <ActionNoticeBanner
      notice={{
        tone: "info",
        text: `Connected ${connectedEmail ?? "the Gmail account"}. Its recent mail is being backfilled and triaged; the progress shows under Mailboxes.`,
      }}
    />
  );
}

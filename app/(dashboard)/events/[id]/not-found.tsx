import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function EventNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg px-6 py-8 text-center">
      <h1 className="text-lg font-semibold text-slate-900">There is no such event</h1>
      <p className="mt-1 text-sm text-slate-500">It may have been deleted with its source, or the link is wrong.</p>
      <div className="mt-5 flex justify-center">
        <Link href="/events" className={buttonClass("secondary")}>All events</Link>
      </div>
    </Card>
  );
}

import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function ScheduleNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg px-6 py-8 text-center">
      <h1 className="text-lg font-semibold text-slate-900">No such schedule</h1>
      <p className="mt-1 text-sm text-slate-500">It may have been deleted, or the link is mistyped.</p>
      <Link href="/schedules" className={`${buttonClass("secondary")} mt-5`}>All schedules</Link>
    </Card>
  );
}

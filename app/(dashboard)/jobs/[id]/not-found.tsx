import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function JobNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg px-6 py-8 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-lg font-semibold text-slate-900">There is no such job</h1>
      <p className="mt-1 text-sm text-slate-500">Check the id; job ids look like <code className="font-mono text-xs">job_01j…</code>.</p>
      <Link href="/jobs" className={`${buttonClass("secondary")} mt-5`}>All jobs</Link>
    </Card>
  );
}

import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function PipelineNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg px-6 py-8 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-lg font-semibold text-slate-900">There is no such pipeline</h1>
      <p className="mt-1 text-sm text-slate-500">It may have been renamed or removed from the registry.</p>
      <Link href="/pipelines" className={`${buttonClass("secondary")} mt-5`}>All pipelines</Link>
    </Card>
  );
}

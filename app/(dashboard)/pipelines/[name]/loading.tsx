import { Bone, PageSkeleton, SkeletonCard, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <div className="grid items-start gap-6 xl:grid-cols-3">
        <div className="rounded-xl border border-slate-200 bg-white px-5 py-5 shadow-sm xl:col-span-2">
          <Bone className="h-4 w-24" />
          <div className="mt-6 space-y-3">
            <Bone className="h-3 w-32" />
            <Bone className="h-24 w-full" />
            <Bone className="ml-auto h-9 w-32" />
          </div>
        </div>
        <div className="space-y-6">
          <SkeletonCard lines={5} />
          <SkeletonCard lines={2} />
        </div>
      </div>
      <div className="mt-6"><SkeletonTable rows={4} /></div>
    </PageSkeleton>
  );
}

import { Bone, PageSkeleton, SkeletonCard, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <div className="grid gap-4 sm:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-sm">
            <Bone className="h-3 w-20" />
            <Bone className="mt-3 h-7 w-12" />
          </div>
        ))}
      </div>
      <div className="mt-6 grid gap-6 xl:grid-cols-3">
        <SkeletonCard lines={4} className="xl:col-span-2" />
        <SkeletonCard lines={5} />
      </div>
      <div className="mt-6">
        <SkeletonTable rows={8} />
      </div>
    </PageSkeleton>
  );
}

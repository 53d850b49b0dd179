import { PageSkeleton, SkeletonCard, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <div className="mb-6 grid gap-6 xl:grid-cols-3">
        <SkeletonCard lines={6} className="xl:col-span-2" />
        <SkeletonCard lines={5} />
      </div>
      <SkeletonTable rows={6} />
    </PageSkeleton>
  );
}

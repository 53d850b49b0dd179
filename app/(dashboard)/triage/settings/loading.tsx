import { PageSkeleton, SkeletonCard, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton>
      <SkeletonCard lines={8} />
      <div className="mt-6">
        <SkeletonTable rows={4} />
      </div>
    </PageSkeleton>
  );
}

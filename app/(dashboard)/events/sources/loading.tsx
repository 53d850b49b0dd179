import { PageSkeleton, SkeletonCard } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <div className="space-y-6">
        <SkeletonCard lines={3} />
        <SkeletonCard lines={5} />
      </div>
    </PageSkeleton>
  );
}

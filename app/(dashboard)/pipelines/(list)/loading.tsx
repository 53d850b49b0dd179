import { PageSkeleton, SkeletonCard } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton>
      <div className="grid gap-4 lg:grid-cols-2">
        {[0, 1, 2, 3].map((i) => <SkeletonCard key={i} lines={4} />)}
      </div>
    </PageSkeleton>
  );
}

import { PageSkeleton, SkeletonCard } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <div className="grid gap-6 xl:grid-cols-2">
        <SkeletonCard lines={7} />
        <SkeletonCard lines={8} />
        <SkeletonCard lines={5} className="xl:col-span-2" />
        <SkeletonCard lines={5} />
        <SkeletonCard lines={5} />
      </div>
    </PageSkeleton>
  );
}

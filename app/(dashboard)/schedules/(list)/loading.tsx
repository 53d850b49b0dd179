import { PageSkeleton, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <SkeletonTable rows={6} />
    </PageSkeleton>
  );
}

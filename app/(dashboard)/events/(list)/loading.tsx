import { PageSkeleton, SkeletonTable } from "@/components/runs/skeleton";

export default function Loading() {
  return (
    <PageSkeleton actions>
      <SkeletonTable rows={10} />
    </PageSkeleton>
  );
}

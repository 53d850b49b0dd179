// Placeholders shown by the loading.tsx files while a page's data is read.

export function Bone({ className = "" }: { className?: string }) {
  return <div className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} />;
}

export function PageSkeleton({ children, actions = false }: { children: React.ReactNode; actions?: boolean }) {
  return (
    <div role="status" aria-label="Loading">
      <div className="mb-6 flex items-end justify-between gap-4">
        <div className="space-y-2">
          <Bone className="h-7 w-48" />
          <Bone className="h-4 w-96 max-w-full" />
        </div>
        {actions ? <Bone className="h-9 w-24" /> : null}
      </div>
      {children}
    </div>
  );
}

export function SkeletonCard({ lines = 3, className = "" }: { lines?: number; className?: string }) {
  return (
    <div className={`rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-sm ${className}`}>
      <Bone className="h-4 w-40" />
      <div className="mt-4 space-y-2.5">
        {Array.from({ length: lines }, (_, i) => (
          <Bone key={i} className={`h-3 ${i % 3 === 2 ? "w-2/3" : i % 2 ? "w-5/6" : "w-full"}`} />
        ))}
      </div>
    </div>
  );
}

export function SkeletonTable({ rows = 8 }: { rows?: number }) {
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex gap-3 border-b border-slate-100 px-5 py-4">
        {[0, 1, 2, 3].map((i) => <Bone key={i} className="h-8 w-32" />)}
      </div>
      <div className="divide-y divide-slate-100">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-6 px-5 py-3.5">
            <Bone className="h-3 w-20" />
            <Bone className="h-3 w-32" />
            <Bone className="h-5 w-20 rounded-full" />
            <Bone className="h-3 w-16" />
            <Bone className="h-3 w-40" />
            <Bone className="ml-auto h-3 w-16" />
          </div>
        ))}
      </div>
    </div>
  );
}

import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function ContextNotFound() {
  return (
    <Card className="mx-auto mt-10 max-w-lg px-6 py-8 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-lg font-semibold text-slate-900">Nothing at this address in the context hub</h1>
      <p className="mt-1 text-sm text-slate-500">The file or folder may have been moved or renamed; search the hub to find it.</p>
      <Link href="/context" className={`${buttonClass("secondary")} mt-5`}>Context hub</Link>
    </Card>
  );
}

import { NextResponse, type NextRequest } from "next/server";
import { serve } from "inngest/next";
import { getInngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { getConfig } from "@/lib/config";

// Inngest calls this endpoint to run our functions; every call is verified with the signing key
// (the SDK refuses unsigned requests outside dev mode). With no Inngest server configured the
// endpoint is closed: the in-process driver does the work.

let handlers: ReturnType<typeof serve> | undefined;

function route(method: "GET" | "POST" | "PUT") {
  return async (req: NextRequest, ctx: unknown): Promise<Response> => {
    if (getConfig().inngestMode === "in-process") {
      return NextResponse.json(
        {
          error: {
            code: "unavailable",
            message: "No Inngest server is configured; schedules and webhooks run in-process. See README, Background work.",
          },
        },
        { status: 503 },
      );
    }
    handlers ??= serve({ client: getInngest(), functions });
    return handlers[method](req, ctx);
  };
}

export const GET = route("GET");
export const POST = route("POST");
export const PUT = route("PUT");

import { handle } from "@/lib/http/handler";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { cancelRun } from "@/lib/pipelines/runner";

export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => ({
  run: toRunDto(await cancelRun(params.id, user.email)),
}));

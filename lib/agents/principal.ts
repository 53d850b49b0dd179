// Who is calling when an agent presents a bearer access token: the agent, the token, and the
// scope that every job and pipeline operation checks where the work executes.
export type AgentPrincipal = {
  agentId: string;
  agentName: string;
  tokenId: string;
  /** Job kinds it may list and claim. */
  jobKinds: readonly string[];
  /** Pipelines it may list and run. */
  pipelines: readonly string[];
  /** When the presented access token expires (set by authenticateAgent; absent in hand-built principals). */
  expiresAt?: Date;
};

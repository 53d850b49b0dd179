// The demo hub seedContextHub writes: a plausible owner with two clients, a content practice, a
// training plan, one active project, an SOP and an archived offer. Paths are hub-relative.

const soul = `# Alex Morgan

I'm an independent AI engineer in Amsterdam. I help small logistics and service companies put
language models to work in their operations, and I write and film about what I learn along the way.

## Mission

Make useful AI boring: small, reliable systems that give people back real hours, explained plainly
enough that others can build them too.

## Values

- Ship the smallest thing that works, then measure it.
- Be honest about what doesn't work, with clients and in public.
- Protect deep work: mornings are for building, afternoons for people.
- Health is the foundation, not the reward.

## How I work

- Time zone Europe/Amsterdam. Deep work 08:00–12:00, calls 13:00–17:00, no meetings on Fridays.
- Written, async updates over meetings; a two-minute video beats a long email.
- Reversible decisions fast; irreversible ones written down first and slept on.
- Stack: TypeScript, Python, PostgreSQL, Claude Code, and this hub.

## Tone

Direct, warm, no hype. Short sentences, plain English, concrete numbers. Never claim a result we
haven't measured. Emails end with "— Alex".

## Assistants never

- Send anything to a client, or publish anything, without my approval.
- Commit to dates or prices on my behalf.
- Read archive/ unless I ask for it.
`;

export const SEED_FILES: Readonly<Record<string, string>> = {
  "abstract.md": "Alex Morgan's context hub: who Alex is, what is in flight, and how the work gets done.\n",
  "overview.md": `# Navigating this hub

Load context in tiers and stop as soon as you know enough:

1. Abstracts: every folder's abstract.md is one line answering "what is this folder?".
2. Overviews: a folder's overview.md explains its workflows and how it relates to other folders.
3. Full files: open only the ones the task needs.

- soul.md is who Alex is; it opens every assistant's instructions.
- identity/ holds mission, values and goals in more depth.
- inbox/ is where captures land; it is emptied during the weekly review.
- areas/ are ongoing responsibilities; projects/ are time-boxed builds that graduate into an area or the archive.
- knowledge/ holds SOPs and research that serve more than one area.
- archive/ is stale. Stay out unless Alex asks.
`,
  "soul.md": soul,

  "identity/abstract.md": "Who Alex is in depth: mission, values, and goals for this year and beyond.\n",
  "identity/overview.md": `# Identity

soul.md at the hub root is the short version every assistant reads first; this folder is the long one.

- goals.md lists this year's goals with a measurable target each. The weekly review
  (knowledge/sops/weekly-review.md) checks progress against them; the quarterly review rewrites them.
- When a goal is met or dropped, move it to the "Done" section with a one-line note on why.
`,
  "identity/goals.md": `---
reviewed: 2025-01-05
horizon: this year
---
# Goals

## Business
- Revenue from retainers covers fixed costs by the end of Q2 (currently 60%).
- Two new clients in logistics, through referrals and content only, no cold outreach.
- Ship the email triage agent (projects/email-triage-agent) and use it daily.

## Content
- One newsletter issue every week, 48 of 52 weeks.
- Grow the YouTube channel to 10,000 subscribers with one long video a month.

## Personal
- Run a half marathon under 1:50.
- Seven hours of sleep on weeknights, tracked.
- Two full weeks offline.

## Done
- (nothing yet this year)
`,

  "inbox/abstract.md": "Unprocessed captures (ideas, links, notes) waiting to be filed; should be close to empty.\n",
  "inbox/2025-01-06-repurpose-newsletter-into-shorts.md": `---
title: Repurpose newsletter into shorts
created: 2025-01-06T07:42:10.000Z
tags:
  - content
  - idea
source: walk
captured_by: owner@example.com
---
# Repurpose newsletter into shorts

Each newsletter issue already has one strong claim and one diagram. Could an agent cut the claim into a
45-second script and turn the diagram into the first frame? Try it on the next three issues and compare
views against the usual shorts.
`,

  "areas/abstract.md": "Ongoing responsibilities with no end date (content, clients, health), each with its own automations.\n",
  "areas/overview.md": `# Areas

An area is something Alex keeps doing indefinitely and wants automations around. Each one has its own folder
with an abstract, an overview of its workflows, and the files those workflows use.

- content/ feeds on clients/ (anonymised lessons from client work become newsletter issues).
- health/ sets the limits the calendar works within: training mornings are protected like client calls.
- A project that turns into ongoing work moves here from projects/.
`,
  "areas/content/abstract.md": "The weekly newsletter, the YouTube channel and LinkedIn: voice, calendar and publishing workflow.\n",
  "areas/content/overview.md": `# Content

Workflow: idea (inbox/) → outline → draft → Alex edits → scheduled → published → repurposed.

- voice-guide.md is the style every draft must follow; assistants read it before writing anything.
- content-calendar.md is the plan for the coming weeks; the newsletter goes out Tuesdays at 07:00.
- The publishing steps are in knowledge/sops/publish-newsletter.md.
- Client stories are used only anonymised and only after the client has said yes (see clients/).
`,
  "areas/content/voice-guide.md": `# Voice guide

- Write like Alex talks to a smart friend: direct, warm, specific. No hype words ("game-changer", "revolutionary").
- Lead with the result or the problem, then how. One idea per paragraph.
- Use real numbers from real projects; say "we measured" only when we did.
- Short sentences. Active voice. British or American spelling, but consistent within a piece.
- End with one concrete thing the reader can try this week.
`,
  "areas/content/content-calendar.md": `# Content calendar

| Week | Newsletter (Tuesday) | Video | Status |
| --- | --- | --- | --- |
| 2 | Why your first agent should be boring | — | drafted |
| 3 | Tiered context: abstracts before files | Context hubs explained | outlined |
| 4 | What a freight broker's inbox taught me about triage | — | idea |
| 5 | Cost per task, not cost per token | Agent costs, honestly | idea |
`,
  "areas/clients/abstract.md": "Active client engagements: who they are, what we are building, and how to work with them.\n",
  "areas/clients/overview.md": `# Clients

One file per client: contacts, scope, current status, and preferences. Update the status section after every call.

- Invoices go out on the 1st; retainers are billed in advance.
- Anything client-facing is drafted by an assistant and sent by Alex, never directly.
- Lessons from client work may become content only anonymised and with the client's consent.
`,
  "areas/clients/northwind-freight.md": `---
client: Northwind Freight
status: active
retainer: 2 days a month
since: 2024-09
---
# Northwind Freight

Mid-sized freight broker, 40 people, Rotterdam. Contact: Priya Shah (operations lead), prefers email, answers
within a day.

## Scope
- Quote-request triage: classify incoming quote emails, extract lanes and weights, draft replies for the desk.
- Weekly report on response times.

## Status
- Triage classifier live since November; 92% agreement with the desk on a 300-email sample.
- Next: extract pallet counts from PDF attachments.

## Preferences
- No changes to production on Fridays.
- Consent given to use the triage story in content, without the company name.
`,
  "areas/clients/harbor-dental.md": `---
client: Harbor Dental Group
status: discovery
since: 2025-01
---
# Harbor Dental Group

Four dental practices sharing a front desk. Contact: Tom Becker (practice manager), prefers phone calls after 16:00.

## Status
- Discovery call done. Pain point: rescheduling requests by email and voicemail take two hours a day.
- Proposal due next week: a fixed-price pilot for email rescheduling only.
`,
  "areas/health/abstract.md": "Training, sleep and nutrition routines that keep Alex's energy up.\n",
  "areas/health/overview.md": `# Health

- training-plan.md is the current block; the calendar blocks those sessions before anything else.
- Sleep target: seven hours on weeknights. Late calls (after 19:00) need a good reason.
- When travel breaks the plan, swap runs for the bodyweight routine rather than skipping.
`,
  "areas/health/training-plan.md": `# Training plan: half marathon block

Goal race in 14 weeks, target under 1:50.

| Day | Session |
| --- | --- |
| Monday | Rest or mobility, 20 min |
| Tuesday | Intervals: 6 × 800 m at 5:00/km |
| Thursday | Tempo: 30 min at 5:15/km |
| Saturday | Long run, building from 12 km to 19 km |
| Sunday | Strength, 40 min |
`,

  "projects/abstract.md": "Active builds and research with an end date, before they graduate into an area or the archive.\n",
  "projects/overview.md": `# Projects

Each project gets a folder with a plan.md: the outcome, the deadline, and the next step. When it ships and
becomes ongoing work it moves to areas/; when it is dropped it moves to archive/ with a note on why.
`,
  "projects/email-triage-agent/abstract.md": "Building an agent that sorts Alex's inbox into action, read-later and noise, with undo.\n",
  "projects/email-triage-agent/overview.md": `# Email triage agent

Outcome: Alex opens the inbox to a short list of things that need action; everything else is labelled and
archived, and every change can be undone.

- Rules first (senders, newsletters), the model only for ambiguous mail.
- Lessons from the Northwind quote triage (areas/clients/northwind-freight.md) apply directly.
- plan.md has milestones and the next step.
`,
  "projects/email-triage-agent/plan.md": `---
status: in progress
deadline: 2025-03-31
---
# Plan

1. Done: label taxonomy (action, waiting, read-later, newsletters, receipts, noise).
2. In progress: sender rules learnt from corrections.
3. Next: confidence threshold per label, below which the agent only suggests.
4. Later: weekly digest of everything archived automatically.

Next step: export 200 labelled emails from last month as the evaluation set.
`,

  "knowledge/abstract.md": "Reference that serves more than one area: SOPs, research notes and checklists.\n",
  "knowledge/overview.md": `# Knowledge

- sops/ holds step-by-step procedures for recurring work; follow them exactly and suggest edits in a note.
- Research notes that belong to one area live in that area instead.
`,
  "knowledge/sops/abstract.md": "Step-by-step procedures for recurring work, followed by Alex and by assistants.\n",
  "knowledge/sops/weekly-review.md": `# SOP: weekly review (Fridays, 15:00, 45 minutes)

1. Empty inbox/: file each note into an area, a project or knowledge/, or delete it.
2. For each client in areas/clients/, update the status section and list next week's commitments.
3. Check identity/goals.md: one line of progress per goal, and flag any goal with no progress for three weeks.
4. Review the content calendar: next Tuesday's issue must be at least drafted.
5. Move finished or dropped projects to areas/ or archive/.
6. Write three priorities for next week at the top of the inbox as a note titled "Next week".
`,
  "knowledge/sops/publish-newsletter.md": `# SOP: publish the newsletter

1. Draft follows areas/content/voice-guide.md; Alex edits by Monday 17:00.
2. Check every number against its source; remove any claim we have not measured.
3. Schedule for Tuesday 07:00 Europe/Amsterdam.
4. After sending, create the LinkedIn post and one short from the issue's strongest claim.
`,

  "archive/abstract.md": "Stale material kept for reference only; assistants stay out unless asked.\n",
  "archive/2023-coaching-offer.md": `# Group coaching offer (2023, discontinued)

Eight-week cohort on "AI for operations managers", 12 seats at €900. Ran twice; dropped because preparing each
cohort took three weeks of deep work and the retainer clients grew. Kept for the curriculum outline.
`,
};

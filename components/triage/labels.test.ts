import { describe, expect, it } from "vitest";
import { actorText, formatConfidence, labelText } from "./labels";

describe("triage labels", () => {
  it("shows confidence as a rounded percent, 100% only for a rule's full confidence", () => {
    expect(formatConfidence(0.29)).toBe("29%"); // 28.999… before rounding
    expect(formatConfidence(0.877)).toBe("88%");
    expect(formatConfidence(0.998)).toBe("99%");
    expect(formatConfidence(1)).toBe("100%");
  });

  it("names Gmail's system labels and keeps a user label's id", () => {
    expect(labelText("INBOX")).toEqual({ text: "Inbox", system: true, known: true });
    expect(labelText("CATEGORY_PROMOTIONS")).toEqual({ text: "Promotions tab", system: true, known: true });
    expect(labelText("Label_12")).toEqual({ text: "Label_12", system: false, known: false });
    expect(labelText("Label_12", { Label_12: "Triage/Finance" })).toEqual({ text: "Triage/Finance", system: false, known: true });
  });

  it("says who acted: triage, you, or someone else", () => {
    expect(actorText("triage", "usr_1")).toBe("Triage");
    expect(actorText("user:usr_1", "usr_1")).toBe("You");
    expect(actorText("user:usr_2", "usr_1")).toBe("Another user");
  });
});

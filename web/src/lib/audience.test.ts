import { describe, expect, it } from "vitest";
import { audienceFromParams, audienceParams } from "./audience";
import { emptyAudience } from "./compose";

describe("audience in the URL", () => {
  it("round-trips and keeps the other parameters", () => {
    const a = { platforms: ["IOS" as const], appVersions: "1.2, 1.3", tags: "beta", groups: ["grp_1"], bound: "BOUND" as const, activeWithin: "3600" };
    const p = audienceParams(new URLSearchParams("mode=broadcast&template=w"), a);
    expect(p.toString()).toBe("mode=broadcast&template=w&platforms=IOS&versions=1.2%2C1.3&tags=beta&groups=grp_1&bound=BOUND&seen=3600");
    expect(audienceFromParams(p)).toEqual(a);
  });

  it("leaves out what is empty and drops unknown values", () => {
    expect(audienceParams(new URLSearchParams("mode=broadcast&tags=old"), emptyAudience).toString()).toBe("mode=broadcast");
    expect(audienceFromParams(new URLSearchParams("platforms=IOS,PALM&bound=MAYBE&seen=soon"))).toEqual({ ...emptyAudience, platforms: ["IOS"] });
  });
});

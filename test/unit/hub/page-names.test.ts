/**
 * What the back-office page calls a component and a device: the ledger holds component codes only, so
 * the handling fee's code (SPEC §7) is the one named, in the page's language; a device's kind comes
 * from `GET /api/offices`, and anything unexpected there is dropped, not guessed.
 */
import { describe, expect, it } from "vitest";
import { componentLabel } from "../../../hub/web/src/components.ts";
import { decodeDeviceKinds } from "../../../hub/web/src/model.ts";

describe("the page's component names", () => {
  it("names the handling fee in Polish and English, beside its code", () => {
    expect(componentLabel("FEE", "pl")).toBe("Opłata za obsługę płatności kartą (FEE)");
    expect(componentLabel("FEE", "en")).toBe("Card payment handling fee (FEE)");
  });

  it("leaves every other code as it is: the hub holds no name for it", () => {
    expect(componentLabel("DR", "pl")).toBe("DR");
    expect(componentLabel("fee", "en")).toBe("fee");
  });
});

describe("the devices' kinds from GET /api/offices", () => {
  it("maps office and device id to kind", () => {
    const kinds = decodeDeviceKinds({
      offices: [
        {
          id: "PZ1465",
          name: "Starostwo",
          devices: [
            { id: "K01", kind: "kiosk" },
            { id: "D01", kind: "desk" },
          ],
          recipients: [],
        },
        { id: "WA0001", name: "Warszawa", devices: [{ id: "K01", kind: "desk" }] },
      ],
    });
    expect(kinds.get("PZ1465")?.get("K01")).toBe("kiosk");
    expect(kinds.get("PZ1465")?.get("D01")).toBe("desk");
    expect(kinds.get("WA0001")?.get("K01")).toBe("desk");
  });

  it("gives nothing for an answer of another shape", () => {
    expect(decodeDeviceKinds(null).size).toBe(0);
    expect(decodeDeviceKinds({ offices: "no" }).size).toBe(0);
    expect(decodeDeviceKinds({ offices: [{ id: "PZ1465", devices: [1, null] }] }).get("PZ1465")?.size).toBe(
      0,
    );
  });
});

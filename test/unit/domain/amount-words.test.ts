import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amountInWords, numberInWords } from "../../../kiosk/domain/amount-words.ts";

/** złote → grosze, so the tables below read like amounts on a slip. */
const zl = (n: number) => n * 100;

describe("amounts in words for speech", () => {
  it.each([
    [zl(0), "zero złotych"],
    [zl(1), "jeden złoty"],
    [zl(2), "dwa złote"],
    [zl(4), "cztery złote"],
    [zl(5), "pięć złotych"],
    [zl(11), "jedenaście złotych"],
    [zl(12), "dwanaście złotych"],
    [zl(14), "czternaście złotych"],
    [zl(21), "dwadzieścia jeden złotych"],
    [zl(22), "dwadzieścia dwa złote"],
    [zl(25), "dwadzieścia pięć złotych"],
    [zl(101), "sto jeden złotych"],
    [zl(112), "sto dwanaście złotych"],
    [zl(122), "sto dwadzieścia dwa złote"],
    [zl(160), "sto sześćdziesiąt złotych"],
    [16250, "sto sześćdziesiąt dwa złote pięćdziesiąt groszy"],
    [zl(1000), "tysiąc złotych"],
    [zl(2000), "dwa tysiące złotych"],
    [zl(5000), "pięć tysięcy złotych"],
    [zl(12_000), "dwanaście tysięcy złotych"],
    [zl(22_000), "dwadzieścia dwa tysiące złotych"],
    [zl(1_000_000), "milion złotych"],
    [zl(3_000_000), "trzy miliony złotych"],
    [zl(1_234_567), "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych"],
    [1, "jeden grosz"],
    [2, "dwa grosze"],
    [5, "pięć groszy"],
    [12, "dwanaście groszy"],
    [22, "dwadzieścia dwa grosze"],
    [101, "jeden złoty jeden grosz"],
    [199, "jeden złoty dziewięćdziesiąt dziewięć groszy"],
    [-250, "minus dwa złote pięćdziesiąt groszy"],
  ])("pl: %i grosze is %s", (grosze, words) => {
    expect(amountInWords(grosze, "pl")).toBe(words);
  });

  it.each([
    [zl(0), "нуль злотих"],
    [zl(1), "один злотий"],
    [zl(2), "два злоті"],
    [zl(5), "п'ять злотих"],
    [zl(11), "одинадцять злотих"],
    [zl(12), "дванадцять злотих"],
    [zl(21), "двадцять один злотий"],
    [zl(22), "двадцять два злоті"],
    [zl(25), "двадцять п'ять злотих"],
    [zl(101), "сто один злотий"],
    [16250, "сто шістдесят два злоті п'ятдесят грошів"],
    [zl(1000), "одна тисяча злотих"],
    [zl(2000), "дві тисячі злотих"],
    [zl(21_000), "двадцять одна тисяча злотих"],
    [zl(5000), "п'ять тисяч злотих"],
    [zl(1_000_000), "один мільйон злотих"],
    [zl(2_000_000), "два мільйони злотих"],
    [1, "один грош"],
    [2, "два гроші"],
    [5, "п'ять грошів"],
    [21, "двадцять один грош"],
    [14, "чотирнадцять грошів"],
  ])("uk: %i grosze is %s", (grosze, words) => {
    expect(amountInWords(grosze, "uk")).toBe(words);
  });

  it.each([
    [zl(0), "zero zloty"],
    [zl(1), "one zloty"],
    [zl(2), "two zloty"],
    [zl(12), "twelve zloty"],
    [zl(21), "twenty-one zloty"],
    [zl(40), "forty zloty"],
    [zl(101), "one hundred one zloty"],
    [16250, "one hundred sixty-two zloty fifty groszy"],
    [zl(1000), "one thousand zloty"],
    [zl(1_000_000), "one million zloty"],
    [1, "one grosz"],
    [5, "five groszy"],
  ])("en: %i grosze is %s", (grosze, words) => {
    expect(amountInWords(grosze, "en")).toBe(words);
  });

  it("has no digits, commas or currency signs for any amount a screen shows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000_000 }),
        fc.constantFrom("pl", "en", "uk"),
        (g, lang) => {
          const words = amountInWords(g, lang as "pl" | "en" | "uk");
          expect(words).not.toMatch(/[0-9,.]|PLN|zł(\s|$)/);
          expect(words).not.toMatch(/\s{2}|^\s|\s$/);
        },
      ),
    );
  });

  it("counts quantities, and refuses what is not a whole amount", () => {
    expect(numberInWords(3, "pl")).toBe("trzy");
    expect(numberInWords(3, "uk")).toBe("три");
    expect(numberInWords(999_999, "en")).toBe("nine hundred ninety-nine thousand nine hundred ninety-nine");
    expect(() => amountInWords(1.5, "pl")).toThrow(RangeError);
    expect(() => numberInWords(-1, "pl")).toThrow(RangeError);
  });
});

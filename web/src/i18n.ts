// The console's languages: English and Simplified Chinese, through i18next.
// The language comes from the browser (navigator.languages) until someone
// picks one in the top bar; the pick is kept in localStorage. Any Chinese
// locale (zh, zh-Hans, zh-TW…) gets zh-CN, anything else English.
import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { en, namespaces, zhCN } from "./locales";

export const languages = [
  { code: "en", name: "English" },
  { code: "zh-CN", name: "简体中文" },
] as const;

export type Language = (typeof languages)[number]["code"];

// supported maps any BCP 47 tag to one of the console's languages.
export const supported = (tag: string | undefined): Language => (tag && /^zh\b/i.test(tag) ? "zh-CN" : "en");

const i18n = i18next.createInstance();
const browser = typeof window !== "undefined" && typeof navigator !== "undefined";
if (browser) i18n.use(LanguageDetector);
i18n.use(initReactI18next).init({
  resources: { en, "zh-CN": zhCN },
  ns: namespaces,
  defaultNS: "common",
  fallbackLng: "en",
  supportedLngs: languages.map((l) => l.code),
  // Resources are bundled, so init finishes before the first render.
  initAsync: false,
  // React escapes what it renders; escaping here too would show &amp;.
  interpolation: { escapeValue: false },
  returnNull: false,
  detection: {
    order: ["localStorage", "navigator"],
    lookupLocalStorage: "pushd.language",
    caches: [],
    convertDetectedLanguage: (tag: string) => supported(tag),
  },
  ...(browser ? {} : { lng: "en" }),
});

// setLanguage switches the console and remembers the choice.
export function setLanguage(code: Language) {
  try {
    localStorage.setItem("pushd.language", code);
  } catch {
    // A browser without storage still switches for this visit.
  }
  void i18n.changeLanguage(code);
}

// locale is the language numbers and dates are written in now.
export const locale = (): Language => supported(i18n.resolvedLanguage ?? i18n.language);

export default i18n;

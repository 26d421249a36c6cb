// The page in the chosen language: <html lang>, the static words of the HTML page, and the switch that changes
// the language (remembered, then the page reloads to draw everything again in it).
import { LANGUAGE_NAME, LANGUAGES, language, saveLanguage, t, type Language, type MessageKey } from '../i18n/index.ts';
import { h } from './dom.ts';

/** Sets <html lang> and translates the elements marked data-i18n (text) and data-i18n-label (aria-label). */
export function translateDocument(root: Document = document): void {
  root.documentElement.lang = language();
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset['i18n'] as MessageKey);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset['i18nLabel'] as MessageKey));
  }
}

export function languageSwitch(): HTMLElement {
  const select = h(
    'select',
    { class: 'language-switch', attrs: { 'aria-label': t('language.label'), title: t('language.label') } },
    ...LANGUAGES.map((code) =>
      h('option', { attrs: { value: code, lang: code, selected: code === language() } }, LANGUAGE_NAME[code]),
    ),
  );
  select.addEventListener('change', () => {
    saveLanguage(select.value as Language);
    location.reload();
  });
  return select;
}

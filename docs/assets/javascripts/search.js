/* The site's additions to the theme's search (Material for MkDocs 9.8); its interface stays as it is.
   1. The search entries (search/search_docs.js, written by hooks/search_index.py) load when the reader first
      opens search, not with every page: the index file the theme itself loads holds only the configuration.
   2. Chinese is cut into words by one function, in the entries (once, when they load) and in the queries, so
      that the two agree: the site's own words first (the glossary's terms, cut by jieba at build time:
      单倍体, 髓系, 综合征), Intl.Segmenter's words elsewhere. Latin letters or digits next to Chinese
      ("CD7阴性复发") become words of their own. Query words are then matched, longest first, against the
      words of the index.
   3. Typing, pasting, dictation and IME input all start a search (the theme listens to key releases only).
   Loaded before the theme's bundle and after the iframe-worker shim (mkdocs.yml, extra.polyfills), so that
   it sees the search worker the theme creates, on a web server and from file:// alike. */
"use strict";
(() => {
  const SETUP = 0, QUERY = 2               // the theme's SearchMessageType
  const HAN = /\p{Script=Han}/u
  const HAN_RUNS = /\p{Script=Han}+/gu
  // a Chinese character that is in no index word: after a known word, it stops the theme's own segmenter
  // (which never tries a run's full length) from cutting the word into shorter pieces
  const KEEP_WHOLE = "\u3007"
  const LONGEST_WORD = 12
  const segmenter = typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter("zh", { granularity: "word" }) : null

  let searchWorker = null, setup = null, opened = false, requested = false
  let siteWords = new Set()                // from search_docs.js
  const words = new Set()                  // every word of the index

  /* 1. entries on demand ------------------------------------------------------------------------------ */

  const ThemeWorker = window.Worker
  window.Worker = class extends ThemeWorker {
    constructor(url, options) {
      super(url, options)
      if (/\/workers\/search\.[^/]*\.js/.test(String(url))) searchWorker = this
    }
    postMessage(message, ...rest) {
      if (this === searchWorker && message && message.type === SETUP) {
        setup = message                    // held until the reader opens search
        loadEntries()
        return
      }
      if (this === searchWorker && message && message.type === QUERY)
        message = { ...message, data: segmentQuery(message.data) }
      super.postMessage(message, ...rest)
    }
  }

  function loadEntries() {
    if (!opened || !setup || requested) return
    requested = true
    const config = JSON.parse(document.getElementById("__config").textContent)
    const base = new URL(config.base.replace(/\/?$/, "/"), location.href)
    const script = document.createElement("script")
    script.src = new URL("search/search_docs.js", base).href
    script.onload = () => {
      const docs = window.__searchDocs
      siteWords = new Set(window.__searchWords)
      for (const doc of docs)
        for (const field of ["title", "text", "aliases"])
          if (doc[field]) doc[field] = separateWords(doc[field])
      // the theme answers with READY and then sends the query already in the box, if any
      ThemeWorker.prototype.postMessage.call(searchWorker, { ...setup, data: { ...setup.data, docs } })
    }
    document.head.appendChild(script)
  }

  document.addEventListener("focusin", event => {
    if (!event.target.matches || !event.target.matches(".md-search__input")) return
    opened = true
    loadEntries()
  })

  /* 2. Chinese words ----------------------------------------------------------------------------------- */

  // U+200B, one of the index's separators (mkdocs.yml), between the words of every Chinese run
  function separateWords(text) {
    if (!segmenter) return text
    return text.replace(HAN_RUNS, run => {
      const cut = cutWords(run)
      for (const word of cut) words.add(word)
      return "\u200b" + cut.join("\u200b") + "\u200b"
    })
  }

  // a run of Chinese characters as words: the longest site word at each position, else Intl.Segmenter's word
  function cutWords(run) {
    const ends = new Set([...segmenter.segment(run)].map(({ index, segment }) => index + segment.length))
    const cut = []
    for (let i = 0, j; i < run.length; i = j) {
      for (j = Math.min(run.length, i + LONGEST_WORD); j > i + 1 && !siteWords.has(run.slice(i, j)); j--);
      if (j === i + 1) j = Math.min(...[...ends].filter(end => end > i))
      cut.push(run.slice(i, j))
    }
    return cut
  }

  function segmentQuery(query) {
    if (typeof query !== "string") return query
    query = query
      // the theme's query parser splits at hyphens anyway; as spaces, each word gets its own wildcard
      .replace(/(\w)-(?=\w)/g, "$1 ")
      // a lone letter (the T of CAR-T, T cells) matches itself, not every word that starts with it
      .replace(/(^|\s)([A-Za-z])(?=\s|$)/g, "$1$2^1")
    if (!segmenter || !HAN.test(query)) return query
    return query.split(/(\s+)/).map(part => HAN.test(part) ? segmentPart(part) : part).join("")
  }

  // "+CD7阴性复发" -> "+CD7 +阴性〇 +复发〇": Latin runs stay whole ("IL-7"), Chinese runs become index words
  function segmentPart(part) {
    const [, sign, body] = part.match(/^([+-]?)(.*)$/su)
    const runs = []
    for (const { segment } of segmenter.segment(body)) {
      const han = HAN.test(segment), last = runs[runs.length - 1]
      if (last && last.han === han) last.text += segment
      else runs.push({ han, text: segment })
    }
    for (const run of runs)
      if (run.han) run.ends = new Set(cutWords(run.text).map((w, k, all) => all.slice(0, k + 1).join("").length))
    return runs
      .flatMap(run => run.han ? indexWords(run.text, run.ends) : [run.text])
      .map(word => sign + word)
      .join(" ")
  }

  // longest index word at each position, preferring one that ends where Intl.Segmenter ends a word;
  // a stretch the index does not know is left to the theme, as it would be without this file
  function indexWords(text, ends) {
    const found = []
    for (let i = 0; i < text.length;) {
      let best = 0, bestAtBoundary = 0
      for (let j = Math.min(text.length, i + LONGEST_WORD); j > i + 1; j--)
        if (words.has(text.slice(i, j))) {
          best = best || j
          if (ends.has(j)) { bestAtBoundary = j; break }
        }
      const end = bestAtBoundary || best
      if (end) {
        found.push(text.slice(i, end) + KEEP_WHOLE)
        i = end
      } else {
        const next = [...ends].filter(e => e > i).sort((a, b) => a - b)[0] || text.length
        const word = text.slice(i, next)
        // a one-character word matches itself only ("^1" stops the theme's trailing wildcard)
        found.push(word.length === 1 && words.has(word) ? `${word}^1` : word)
        i = next
      }
    }
    return found
  }

  /* 3. every kind of input searches ---------------------------------------------------------------- */

  function search(event) {
    if (event.target.matches && event.target.matches(".md-search__input"))
      event.target.dispatchEvent(new KeyboardEvent("keyup"))   // what the theme listens to
  }
  document.addEventListener("input", event => { if (!event.isComposing) search(event) })
  document.addEventListener("compositionend", search)
})()

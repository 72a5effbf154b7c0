/* The site's additions to the theme's search (Material for MkDocs 9.8); its interface stays as it is.
   1. The search entries (search/search_docs.js, written by hooks/search_index.py) load when the reader first
      opens search, not with every page: the index file the theme itself loads holds only the configuration.
   2. Chinese is cut into words by one function, in the entries (once, when they load) and in the queries, so
      that the two agree: the site's own words first (the glossary's terms, cut by jieba at build time:
      单倍体, 髓系, 综合征), Intl.Segmenter's words elsewhere. Latin letters or digits next to Chinese
      ("CD7阴性复发") become words of their own.
   3. Queries are rewritten in the theme's own query syntax before the theme sees them: query words are
      matched against the words of the index, a word counts most where it stands whole, the words of a
      compound or of a glossary name must all be there, a term every page mentions (CAR-T) counts for little
      next to other words (see segmentQuery).
   4. Typing, pasting, dictation and IME input all start a search (the theme listens to key releases only).
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
  // a word matching itself counts this many times more than a longer word it begins
  const EXACT_BOOST = 9
  const LATIN_EDGE = /[a-z0-9]/
  const WORD_EDGE = /[a-z0-9/-]/             // a name is not cut out of a compound ("CD7" of "CD7-positive")
  const COMPOUND = /[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)+/g
  const segmenter = typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter("zh", { granularity: "word" }) : null

  let searchWorker = null, setup = null, opened = false, requested = false
  let siteWords = new Set()                // from search_docs.js: the glossary's Chinese words
  let names = {}                           // from search_docs.js: glossary names, longest first -> term name
  let stopWords = new Set()                // from search_docs.js: the words the theme's search drops
  let separator = /[\s\-]+/                 // the index's word separator (mkdocs.yml), from the theme
  const words = new Set()                  // every Chinese word of the index
  const indexCompounds = new Set()         // every compound of the index ("rd1301")
  const commonWords = new Set()            // the words of the names of terms every page mentions (car, 细胞)

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
      const data = window.__atlasSearch, docs = unpack(data)
      siteWords = new Set(data.words)
      for (const [canonical, ...typed] of data.names)   // a term's own name, then its other names
        for (const name of canonical ? [canonical, ...typed] : typed) if (!(name in names)) names[name] = canonical
      names = Object.fromEntries(Object.entries(names).sort(([a], [b]) => b.length - a.length))
      stopWords = new Set(data.stopWords)
      separator = new RegExp(setup.data.config.separator, "u")
      for (const [canonical, ...typed] of data.names)
        if (canonical === "") for (const name of typed) for (const word of nameWords(name)) commonWords.add(word)
      const fields = Object.keys(setup.data.config.fields)
      for (const doc of docs) {
        const found = compounds(`${doc.title} ${doc.text}`)
        for (const compound of found) indexCompounds.add(compound)
        doc.compounds = found.join(" ")
        for (const field of fields)
          if (typeof doc[field] === "string") doc[field] = separateWords(doc[field])
      }
      // the theme answers with READY and then sends the query already in the box, if any
      ThemeWorker.prototype.postMessage.call(searchWorker, { ...setup, data: { ...setup.data, docs } })
    }
    document.head.appendChild(script)
  }

  // search_docs.js groups the entries by page, as [anchor, title, text, …] in the order of data.fields
  function unpack(data) {
    const docs = []
    for (const [page, rows] of data.pages)
      for (const [anchor, ...values] of rows) {
        const doc = { location: anchor ? `${page}#${anchor}` : page, title: "", text: "" }  // the theme reads both
        data.fields.forEach((field, k) => { if (values[k] !== undefined && values[k] !== "") doc[field] = values[k] })
        docs.push(doc)
      }
    return docs
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
    const ends = Array.from(segmenter.segment(run), ({ index, segment }) => index + segment.length)  // ascending
    const cut = []
    for (let i = 0, j, k = 0; i < run.length; i = j) {
      for (j = Math.min(run.length, i + LONGEST_WORD); j > i + 1 && !siteWords.has(run.slice(i, j)); j--);
      if (j === i + 1) {
        while (ends[k] <= i) k++
        j = ends[k]
      }
      cut.push(run.slice(i, j))
    }
    return cut
  }

  /* 3. queries -------------------------------------------------------------------------------------------

     Queries, as words the index knows: "CD7阴性复发" -> "CD7 阴性 复发". Each word matches itself, and more
     weakly any longer word it begins ("car" finds "car" before "care", "细胞" before "细胞因子"). Some words
     must all be there: those of a compound ("RD13-01", "MRD-negative", "CRISPR/Cas9"), and, for a name from
     the glossary ("ER retention", "蛋白表达阻断剂"), those of the term's own name, which every entry that
     mentions the term holds in its text or its aliases. */
  function segmentQuery(query) {
    if (typeof query !== "string") return query
    const clauses = [], spans = nameSpans(query)
    const lastPart = spans.map(span => span.text).join("").trimEnd().split(/\s+/).pop()
    // a term nearly every section mentions (CAR-T) tells nothing about which to read when other words are
    // there ("relapse after CAR-T"): its words then count for little
    const informative = spans.some(span => span.canonical !== "" && significant(queryWords(span.text)).length)
    for (const { text, canonical } of spans) {
      // (words every page has would add nothing but highlights: 自然选择 does not need CAR-T 细胞)
      const required = new Set(canonical ? nameWords(canonical).filter(word => !commonWords.has(word)) : [])
      if (required.size < 2) required.clear()   // a one-word name is matched as typed
      if (canonical === "" && informative) {
        clauses.push(...significant(queryWords(text)).map(word => `${word}${HAN.test(word) ? KEEP_WHOLE : ""}^1`))
        continue
      }
      for (const part of text.split(/\s+/).filter(Boolean)) {
        const [, sign, body] = part.match(/^([+-]?)(.*)$/su)
        const found = queryWords(body)
        // a compound the site writes (not "IL-7", which it does not) must be there with all its parts
        const compound = !HAN.test(body) && found.filter(w => w.kind !== "stop").length > 1
          && compounds(body).some(whole => indexCompounds.has(whole))
        for (const whole of compound ? compounds(body) : []) clauses.push(`${whole}^${EXACT_BOOST}`)
        found.forEach((word, k) => clauses.push(...clausesFor(word, sign,
          required.delete(word.text.toLowerCase()) || compound, part === lastPart && k === found.length - 1)))
      }
      for (const word of required) clauses.push(`+${word}${HAN.test(word) ? KEEP_WHOLE : ""}^1`)
    }
    return clauses.join(" ")
  }

  // "CAR-NK", "RD13-01", "MRD-negative", "CRISPR/Cas9" as one word each ("carnk"), so that the compound a
  // reader types ranks what holds it above what holds its parts apart ("CAR-T … NK cells")
  function compounds(text) {
    const found = []
    for (const compound of text.match(COMPOUND) || []) {
      const parts = compound.toLowerCase().split(/[-/]/)
      found.push(parts.join(""))
      // and each pair of neighbours in a longer one: "cart" in "CAR-T-then-haploidentical-HSCT"
      if (parts.length > 2) for (let k = 1; k < parts.length; k++) found.push(parts[k - 1] + parts[k])
    }
    return found
  }

  // the words of a glossary name as the index has them: its Chinese cut like the entries' (cutWords), since
  // entries hold the name verbatim, in their text or their aliases
  function nameWords(name) {
    const found = []
    for (const run of name.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) || [])
      if (HAN.test(run)) found.push(...(segmenter ? cutWords(run) : [run]).filter(w => w.length > 1 && !stopWords.has(w)))
      else found.push(...significant(queryWords(run)))
    return found
  }

  function significant(found) {
    return found.filter(w => w.kind === "word").map(w => w.text.toLowerCase())
  }

  // the query cut into stretches: a glossary name ({text, canonical}: the term's name, "" for a term too
  // common to require) or not ({text, canonical: null}); names are tried longest first
  function nameSpans(query) {
    const lower = query.toLowerCase(), taken = []
    for (const name in names)
      for (let at = lower.indexOf(name); at >= 0; at = lower.indexOf(name, at + 1)) {
        const end = at + name.length
        if (LATIN_EDGE.test(name[0]) && WORD_EDGE.test(lower[at - 1] || "")) continue
        if (LATIN_EDGE.test(name[name.length - 1]) && WORD_EDGE.test(lower[end] || "")) continue
        if (!taken.some(([a, b]) => at < b && end > a)) taken.push([at, end, names[name]])
      }
    taken.sort((x, y) => x[0] - y[0])
    const spans = []
    let position = 0
    for (const [a, b, canonical] of taken) {
      if (a > position) spans.push({ text: query.slice(position, a), canonical: null })
      spans.push({ text: query.slice(a, b), canonical })
      position = b
    }
    if (position < query.length) spans.push({ text: query.slice(position), canonical: null })
    return spans
  }

  // {text, kind}: "word" (Latin or an index word), "letter" (one Latin letter or Chinese character the index
  // has), "stop" (a word the theme drops), "rest" (Chinese the index does not know: left to the theme)
  function queryWords(body) {
    const found = []
    for (const run of body.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) || []) {
      if (HAN.test(run)) {
        found.push(...(segmenter ? indexWords(run) : [{ text: run, kind: "rest" }]))
        continue
      }
      // (the theme's trimmer drops what has no letter or digit, such as α)
      for (const text of run.split(separator).filter(Boolean))
        found.push({ text, kind: stopWords.has(text.toLowerCase()) || !/[A-Za-z0-9]/.test(text) ? "stop"
          : /^[A-Za-z]$/.test(text) ? "letter" : "word" })
    }
    return found
  }

  // the theme's query syntax for one word: "+" required, "^n" boost and no wildcard, a bare word wildcard; KEEP_WHOLE
  // after a Chinese word keeps the theme's own segmenter from cutting it again. Only the last word, which may
  // be unfinished, and earlier Latin words of five letters or more, which may be inflected ("infection"),
  // also match longer words they begin: "cost" is not "costimulatory", "car" not "care", "NK" not "NKT",
  // 细胞 not 细胞因子. A lone letter or character is never required: 型 of 现货型 is no word in 通用型.
  function clausesFor({ text, kind }, sign, required, last) {
    const han = HAN.test(text), word = han ? text + KEEP_WHOLE : text
    if (kind === "stop") return [text]
    if (kind === "rest") return [sign + text]
    if (kind === "letter") return [`${sign}${text}^1`]   // T in "CAR-T" is T, not every word starting with T
    sign = sign || (required ? "+" : "")
    const exact = `${sign}${word}^${EXACT_BOOST}`
    return last || (!han && text.length >= 5) ? [exact, word] : [exact]   // the theme adds "*" to a bare word
  }

  // longest index word at each position, preferring one that ends where Intl.Segmenter ends a word;
  // a stretch the index does not know is left to the theme, as it would be without this file
  function indexWords(text) {
    const ends = new Set(cutWords(text).map((w, k, all) => all.slice(0, k + 1).join("").length))
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
        found.push({ text: text.slice(i, end), kind: stopWords.has(text.slice(i, end)) ? "stop" : "word" })
        i = end
      } else {
        const next = [...ends].filter(e => e > i).sort((a, b) => a - b)[0] || text.length
        const word = text.slice(i, next)
        found.push({ text: word, kind: stopWords.has(word) ? "stop"
          : word.length === 1 && words.has(word) ? "letter" : "rest" })
        i = next
      }
    }
    return found
  }

  /* 4. every kind of input searches ---------------------------------------------------------------- */

  function search(event) {
    if (event.target.matches && event.target.matches(".md-search__input"))
      event.target.dispatchEvent(new KeyboardEvent("keyup"))   // what the theme listens to
  }
  document.addEventListener("input", event => { if (!event.isComposing) search(event) })
  document.addEventListener("compositionend", search)
})()

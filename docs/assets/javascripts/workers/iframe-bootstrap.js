/* iframe-worker 1.0.4 (MIT, (c) Martin Donath): the part that runs inside the worker's iframe, taken out of the
   shim's inline script unchanged but for the worker address (see iframe-worker-shim.js). It gives the iframe
   what a worker has: postMessage to the page, importScripts, and errors reported to the page. */
"use strict";
(() => {
  const worker = document.currentScript.dataset.worker
  window.postMessage = function (message, origin) { parent.postMessage(message, origin || "*") }
  window.importScripts = function (...urls) {
    return urls.reduce((done, url) => done.then(() => new Promise(resolve => {
      const script = document.createElement("script")
      script.src = url
      script.onload = resolve
      document.body.appendChild(script)
    })), Promise.resolve())
  }
  addEventListener("error", ({ error }) => {
    parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error }))
  })
})()

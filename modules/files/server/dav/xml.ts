import { DOMParser, XMLSerializer, type Element, type Node as XmlNode } from "@xmldom/xmldom";
import { AppError } from "@ensemble/kernel";

export const DAV = "DAV:";
export const OC = "http://owncloud.org/ns";
export const NC = "http://nextcloud.org/ns";

/** Largest XML body read (PROPFIND, PROPPATCH, LOCK): these are small documents. */
export const MAX_XML_BYTES = 1_048_576;

const ELEMENT = 1;
const TEXT = 3;

/**
 * Parses a request's XML. A document type declaration is refused outright: no external entity can
 * be fetched (XXE) and no entity can expand (billion laughs), whatever the parser would do with it.
 * Malformed XML, undeclared prefixes and empty namespace prefixes are a 400.
 */
export function parseXml(text: string): Element {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new AppError("validation", "XML document type declarations are refused");
  const fail = (msg: string): never => {
    throw new AppError("validation", `the XML body is not well-formed: ${msg}`);
  };
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== "warning") fail(msg);
      },
    }).parseFromString(text, "application/xml");
  } catch (e) {
    if (e instanceof AppError) throw e;
    return fail(e instanceof Error ? e.message.split("\n")[0]! : "unreadable");
  }
  const root = doc.documentElement;
  if (!root) return fail("no root element");
  return root as unknown as Element;
}

export const elements = (e: Element): Element[] => {
  const out: Element[] = [];
  for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT) out.push(c as unknown as Element);
  return out;
};

export const is = (e: Element, ns: string, name: string): boolean => e.namespaceURI === ns && e.localName === name;

export const child = (e: Element, ns: string, name: string): Element | undefined =>
  elements(e).find((c) => is(c, ns, name));

export const textOf = (e: Element): string => {
  let s = "";
  for (let c: XmlNode | null = e.firstChild; c; c = c.nextSibling) if (c.nodeType === TEXT) s += c.nodeValue ?? "";
  return s;
};

/** The children of an element as XML, each carrying the namespace declarations it needs. */
export function innerXml(e: Element): string {
  const ser = new XMLSerializer();
  let s = "";
  for (let c: XmlNode | null = e.firstChild; c; c = c.nextSibling) s += ser.serializeToString(c);
  return s;
}

export const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** A property name as it travels: namespace and local name. */
export interface PropName {
  ns: string;
  name: string;
}

const KNOWN: Record<string, string> = { [DAV]: "d", [OC]: "oc", [NC]: "nc" };

/** An element for a property: known namespaces by their prefix, others declared on the element itself. */
export function propElement(p: PropName, inner: string | null): string {
  const prefix = KNOWN[p.ns];
  if (prefix)
    return inner === null || inner === ""
      ? `<${prefix}:${p.name}/>`
      : `<${prefix}:${p.name}>${inner}</${prefix}:${p.name}>`;
  const decl = p.ns === "" ? ' xmlns=""' : ` xmlns:x="${escapeXml(p.ns)}"`;
  const tag = p.ns === "" ? p.name : `x:${p.name}`;
  return inner === null || inner === "" ? `<${tag}${decl}/>` : `<${tag}${decl}>${inner}</${tag}>`;
}

export const MULTISTATUS_OPEN = `<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:oc="${OC}" xmlns:nc="${NC}">`;
export const MULTISTATUS_CLOSE = "</d:multistatus>";

export const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  424: "Failed Dependency",
  507: "Insufficient Storage",
};
export const statusLine = (code: number): string => `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? ""}`.trim();

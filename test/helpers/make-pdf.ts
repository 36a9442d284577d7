import PDFDocument from "pdfkit";

/** Options for a generated test PDF; defaults give a clean multi-page Danish agenda. */
export interface MakePdfOptions {
  /** Body text of each page, in order; one entry per page. */
  pages?: string[];
  /** Running header printed on every page (null for none). */
  header?: string | null;
  /** Print "Side N af M" at the bottom of every page. */
  footer?: boolean;
  /** Encrypt with this user password (readers must ask for it). */
  userPassword?: string;
  /** Draw shapes only: no text layer at all, like a scanned page. */
  imageOnly?: boolean;
  /** Keep only this fraction (0–1) of the bytes, like an interrupted download. */
  truncateTo?: number;
}

/** Danish body text with æ ø å, one entry per page, for the default document. */
export const DANISH_PAGES: string[] = [
  "1. Godkendelse af dagsorden\nKKR Syddanmark godkender dagsordenen for mødet den 11. november 2020.",
  "2. Regionalpolitiske sager\n2.3 DK2020 og regional organisering\nKommunerne i Syddanmark arbejder med klimaplaner, grøn omstilling og bæredygtig udvikling.",
  "3. Sundhed og ældre\nSundhedskoordinationsudvalget SKU drøfter rådgivning af borgere på Ærø og i Åbenrå.",
  "4. Eventuelt\nNæste møde afholdes i Sønderborg. Bilag følger på mødet.",
];

export const DEFAULT_HEADER = "KKR Syddanmark · Dagsorden";

/** Builds a PDF in memory with pdfkit's standard fonts (WinAnsi covers æ ø å). */
export async function makePdf(options: MakePdfOptions = {}): Promise<Buffer> {
  const pages = options.pages ?? DANISH_PAGES;
  const header = options.header === undefined ? DEFAULT_HEADER : options.header;
  const footer = options.footer ?? true;
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 72,
    info: { Title: "KKR test" },
    ...(options.userPassword === undefined
      ? {}
      : {
          userPassword: options.userPassword,
          ownerPassword: `${options.userPassword}-owner`,
          pdfVersion: "1.7",
        }),
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  pages.forEach((body, i) => {
    doc.addPage({ size: "A4", margin: 72 });
    if (options.imageOnly) {
      // Shapes only: what a scanner produces without OCR, so there is no text to extract.
      doc.rect(72, 100, 450, 40).fill("#333333");
      doc.circle(300, 400, 80).fill("#888888");
      doc.moveTo(72, 600).lineTo(520, 650).stroke();
      return;
    }
    if (header !== null) doc.font("Helvetica").fontSize(9).text(header, 72, 36, { lineBreak: false });
    doc.font("Helvetica").fontSize(12).text(body, 72, 100, { width: 450 });
    if (footer) {
      doc
        .font("Helvetica")
        .fontSize(9)
        .text(`Side ${i + 1} af ${pages.length}`, 72, 780, { lineBreak: false });
    }
  });
  doc.end();
  const bytes = await done;
  if (options.truncateTo !== undefined)
    return bytes.subarray(0, Math.floor(bytes.length * options.truncateTo));
  return bytes;
}

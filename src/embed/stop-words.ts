/** Danish and English function words: they carry no topic, so the hash embedder skips them. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan " +
    "the a an and or of to in on at by for with from is are was were be been being it its this that these those as into than then there their they them he she his her we our you your i me my not no do does did have has had will would shall should can could may might must about which who whom whose what when where why how"
  ).split(/\s+/),
);

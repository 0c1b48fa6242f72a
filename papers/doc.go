// Package papers prints the papers offices sign, as print-ready HTML (A4,
// print CSS, one document per page; Chromium or any browser prints it to
// paper or PDF), in Vietnamese, with the national heading ("CỘNG HÒA XÃ HỘI
// CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"), the issuing body top
// left and the signature blocks:
//
//   - [Commitments]: the commitment to sponsor (giấy cam kết nhận đỡ đầu):
//     sponsor, subject(s), monthly amount in figures and in words, period,
//     payment method and focal organisation, signed by the People's
//     Committee and the Fatherland Front of the same level and by the
//     sponsor;
//   - [PaymentLists]: the monthly payment list of a focal organisation
//     (danh sách chi trả) with a column for the recipient's signature and
//     the total in words;
//   - [BeneficiaryLists]: a commune's list of beneficiaries with their
//     monthly top-ups, the total in words and the rule set it was decided
//     by.
//
// The inputs are plain structs of strings, decimal amounts and dates, so
// the package depends on no domain package; dates are passed in, never read
// from the clock. Margins follow Nghị định 30/2020/NĐ-CP (left 30 mm, right
// 15 mm, top and bottom 20 mm); the text is Times New Roman 13 pt where the
// font is installed. Amounts print as in [vnd.Format] and [vnd.Words].
package papers

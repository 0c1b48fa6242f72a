// Package sheet reads and writes tabular files as offices make them: Excel
// workbooks (.xlsx) and CSV files saved from Excel on a Vietnamese Windows.
// It knows nothing of the records in them; the caller (a reader driven by a
// rule set's declared fields) matches headers and parses values.
//
// # Reading
//
// [Open] takes the bytes and the file name. A ZIP archive is a workbook;
// otherwise the name decides (.xlsx/.xlsm, .csv/.txt/.tsv); JSON, a legacy
// .xls or anything else is refused with [ErrNotSheet]. The header row is the
// first non-blank row that [Options.IsHeader] accepts, so a title block
// above it (merged title cells, the committee's name, blank rows) is
// skipped. [Reader.Next] then yields one [Row] per non-blank row, padded to
// the header's width, and io.EOF at the end; nothing is dropped (a value to
// the right of the last header is kept for the caller to report).
//
// Every cell is trimmed and NFC-normalised (a header typed with combining
// tone marks matches its declared spelling). Workbook cells read as:
//
//   - a date cell (a number shown with a date format, built in or custom,
//     such as dd/mm/yyyy or m/d/yy) → ISO "1950-03-15"; with a time of day
//     "1950-03-15 08:30:00", at midnight the date alone;
//   - a number cell → plain decimal text, "." before the decimals and no
//     grouping, whatever its display format: "1500000", "1.5"; at most 15
//     significant digits, as Excel shows it ("0.3" for a stored
//     0.30000000000000004);
//   - a text cell → its text: "15/03/1950", "1.500.000" and "1,5" stay as
//     typed, and so does a code "00004";
//   - a boolean cell → "TRUE" or "FALSE"; a formula → its cached value.
//
// A merged cell holds its value in its top-left cell only; the other cells
// of the range read empty (so a household code merged over several rows
// reads empty below its first row, which the caller reports as a missing
// value rather than guessing).
//
// Positions ([Row.Where], [Reader.HeaderWhere]) are given as staff find
// them in Excel: "Danh sách!D17" for a workbook, and for a CSV the file name
// in place of the sheet, "persons.csv!D17", where 17 is the line on which
// the record starts (the row Excel shows when it opens the file, unless a
// quoted value spans lines).
//
// # CSV encodings
//
// A CSV is read as UTF-8, with or without a BOM. A UTF-16 file with a BOM
// (what Excel's "Unicode Text" writes) is converted. A file that is not
// valid UTF-8 is converted from Windows-1258 (the Vietnamese ANSI code page
// of a Vietnamese Windows) only when that is certain, and refused otherwise
// with a message, in Vietnamese and English, that says how to save it as
// "CSV UTF-8" in Excel: text is never read as garbage. The certainty rule:
// after decoding, every non-ASCII character must be a letter of the
// Vietnamese alphabet (with at most one tone mark) or one of a few
// typographic symbols, and every word holding one must be a well-formed
// Vietnamese syllable (initial consonant, vowel group and final consonant
// from the Vietnamese lists). A Latin-1 file of German, French, Italian or
// Portuguese names fails one of the two and is refused.
//
// The separator is the first of ';', ',' and tab under which a row is a
// header (Options.IsHeader), else the one found most often on the first
// line. A quote that never closes stops the file with its line.
//
// The file is held in memory as bytes; rows are decoded one at a time
// (excelize's Rows iterator for a workbook), never all at once.
//
// # Writing
//
// [NewXLSX] writes reports with excelize's StreamWriter: per table sheet a
// bold title, the provenance block of [Meta] (rule set id, "dự thảo" or "đã
// ban hành", hash), Vietnamese header labels, a frozen header row, an
// auto-filter, widths chosen from each column's kind, money as numbers with
// the #,##0 format, dates as real date cells shown dd/mm/yyyy, and an
// optional bold total row with exact sums ([Table.Total]). A workbook holds
// as many tables (sheets) as needed: the rows, then a summary.
//
// [NewCSV] writes CSV; with [CSVOptions.Excel] the file starts with a UTF-8
// BOM (and uses CRLF), which Excel on Windows needs to show Vietnamese.
package sheet

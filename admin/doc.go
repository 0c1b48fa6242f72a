// Package admin carries Vietnam's commune-level administrative units before
// and after the 2025-07-01 reform, and the mapping between them, so that a
// commune code found in a record can be resolved whichever list it was taken
// from.
//
// The reform abolished districts and merged (sometimes split) the 10,047
// communes into new ones; each new commune reused the 5-digit GSO code of one
// of the communes it absorbed. A record holds a bare code, so the package
// must decide which list the code belongs to. [Registry.Lookup] reads it in
// its pre-reform meaning first (see below for why), [Registry.LookupReformed]
// reads it in the post-reform list, and [Registry.MapToNew] gives the
// post-reform commune the code leads to today.
//
// # Data
//
// Both files are in data/; [Default] carries them compiled in as [Load]
// reads them (tables.go, generated from them by `go generate` and checked
// against them by the tests), so that a program does not parse them:
//
//   - data/vn-admin-units-2025-03-01.csv: 10,047 pre-reform communes
//     (7,704 Xã, 1,726 Phường, 617 Thị trấn after the type fix below; no
//     Đặc khu) in 691 districts and 63 provinces.
//   - data/vn-commune-mapping-2025-07-01.csv: 10,599 old -> new rows
//     covering every pre-reform commune, naming 3,316 post-reform communes
//     (2,621 Xã, 687 Phường, 8 Đặc khu) in 34 provinces. The official total
//     is 3,321: the 5 missing units are special zones (Đặc khu) made from
//     island districts that had no communes (e.g. Bạch Long Vĩ, Côn Đảo,
//     Lý Sơn), so no old commune maps to them and their codes are unknown
//     here.
//
// Hà Tĩnh (province 42) has 210 pre-reform communes (171 Xã, 25 Phường,
// 14 Thị trấn) in 12 districts and 69 post-reform ones (60 Xã, 9 Phường).
//
// # Oddities in the data and how they are handled
//
// Both files are UTF-8 without BOM, with CRLF line ends and no quoting or
// duplicate rows; [Load] still accepts a BOM and quoted fields.
//
//   - White space: 98 rows have doubled inner spaces ("Xã Cò  Nòi") or
//     leading/trailing ones (" Phường Tuy Hòa", "Xã Trung Giã "). All
//     fields are trimmed and inner runs collapsed.
//   - Unicode: 12 mapping rows spell "ã" as "a" plus a combining tilde. Such
//     marks are composed, so names compare equal and "Xã" is recognised.
//   - Case: 12 old names begin "Thị Trấn" and one new name "xã". Type
//     prefixes are matched case-insensitively and rewritten canonically.
//   - Wrong type: Phường 5 (27046) and Phường 15 (27076) in Quận Phú
//     Nhuận have commune_type "Xã". A Quận contains only Phường, so the
//     type is taken from the name prefix whenever it has one.
//   - Post-reform communes have no type column; the type comes from the
//     name prefix ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "), and Load
//     fails on a name without one rather than guess a zone.
//   - Spelling: 21 new communes are spelt differently on different rows,
//     mostly by the spaces above, otherwise by tone placement ("Hiệp Hoà"
//     and "Hiệp Hòa"). The most frequent spelling wins.
//   - Contradiction: old 30622 Xã Tân Phú (An Giang) is mapped to 30259 Xã
//     Tân Phú Trung "in province 91"; 30259 is a Đồng Tháp commune (province
//     82 on its four other rows), and whole provinces merged, so an An Giang
//     commune cannot land there. The row is dropped: 30622 has no successor
//     and MapToNew reports it as unknown instead of moving the person to
//     another province.
//   - Splits: 460 old codes map to 2 to 5 new communes; MapToNew reports
//     them as ambiguous with the candidates.
//   - Codes in both lists: all 3,316 new codes are also old codes. For 3,314
//     the old commune of that code maps to the new one of that code (often
//     renamed: 00004 was Phường Trúc Bạch, is now Phường Ba Đình); 142 of
//     those old communes were split, so MapToNew on such a code is
//     ambiguous even though the new code alone is not. For 2 codes the
//     meanings differ: old 23710 Xã A Dơk went to 23869 while new 23710 is
//     Xã Ia Băng; old 23737 Xã Ia Mơ Nông went to 23734 while new 23737 is
//     Xã Ia Mơ.
//   - Province codes are reused too: "82" was Tiền Giang and is now Đồng
//     Tháp; "91" was Kiên Giang and is now An Giang. The mapping has no
//     province names, so the 34 post-reform names are built in.
//
// # Which meaning a bare code gets
//
// Lookup and MapToNew read a code present in the pre-reform list as the
// pre-reform commune. Records predating the reform can only hold old codes,
// while a post-reform code read as old still maps to itself in all but the 2
// codes above, and to an ambiguity error (not a wrong answer) for the 142
// split ones. Callers who know a record was written under the new list
// should use LookupReformed.
//
// Note for policy: the zone can change across the reform (18652 was Xã Tân
// Lâm Hương, rural; it is now Phường Hà Huy Tập, urban). This package only
// reports each list's type; which list applies on a date is the caller's
// rule.
package admin

// The elfproef, masking and redaction of BSNs (plugin-api/src/privacy/bsn.hpp).
#include "privacy/bsn.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

using hearth::privacy::bsn_is_valid;
using hearth::privacy::mask_bsn;
using hearth::privacy::redact_bsns;

TEST(BsnIsValid, AcceptsTheDomainExample) { EXPECT_TRUE(bsn_is_valid("111222333")); }

TEST(BsnIsValid, AcceptsComputedNumbersThatPassTheElfproef) {
  // Each sum 9*d1 + ... + 2*d8 - d9 below was computed by hand and is a multiple of 11.
  EXPECT_TRUE(bsn_is_valid("123456782")); // 154
  EXPECT_TRUE(bsn_is_valid("234567892")); // 198
  EXPECT_TRUE(bsn_is_valid("314159265")); // 143
  EXPECT_TRUE(bsn_is_valid("271828183")); // 187
  EXPECT_TRUE(bsn_is_valid("555555550")); // 220
  EXPECT_TRUE(bsn_is_valid("192837461")); // 209
  EXPECT_TRUE(bsn_is_valid("999999990")); // 396
  EXPECT_TRUE(bsn_is_valid("012345672")); // 121, leading zero written out
}

TEST(BsnIsValid, AcceptsEightDigitsAsANumberWithItsLeadingZeroDropped) {
  EXPECT_TRUE(bsn_is_valid("12345672"));  // = 012345672
  EXPECT_FALSE(bsn_is_valid("12345673")); // = 012345673, sum 120
}

TEST(BsnIsValid, AcceptsASumOfZeroWhenTheNumberIsNotAllZeros) {
  // 9*1 - 9 = 0 is a multiple of 11; refusing it would leave it unredacted in logs.
  EXPECT_TRUE(bsn_is_valid("100000009"));
}

TEST(BsnIsValid, RejectsNumbersThatFailTheElfproef) {
  EXPECT_FALSE(bsn_is_valid("111222334"));
  EXPECT_FALSE(bsn_is_valid("123456789"));
  EXPECT_FALSE(bsn_is_valid("987654321"));
  EXPECT_FALSE(bsn_is_valid("999999999"));
  EXPECT_FALSE(bsn_is_valid("123456783")); // one off a valid number
}

TEST(BsnIsValid, RejectsAllZeros) {
  EXPECT_FALSE(bsn_is_valid("000000000"));
  EXPECT_FALSE(bsn_is_valid("00000000"));
}

TEST(BsnIsValid, RejectsWrongLengths) {
  EXPECT_FALSE(bsn_is_valid(""));
  EXPECT_FALSE(bsn_is_valid("1234567"));    // 7 digits
  EXPECT_FALSE(bsn_is_valid("1112223330")); // 10 digits
  EXPECT_FALSE(bsn_is_valid("0111222333")); // 10 digits, even with a leading zero
}

TEST(BsnIsValid, RejectsLettersSpacesAndSeparators) {
  EXPECT_FALSE(bsn_is_valid("11122233a"));
  EXPECT_FALSE(bsn_is_valid("abcdefghi"));
  EXPECT_FALSE(bsn_is_valid(" 11222333"));
  EXPECT_FALSE(bsn_is_valid("111222333 "));
  EXPECT_FALSE(bsn_is_valid("1112.22.333"));
  EXPECT_FALSE(bsn_is_valid("-11222333"));
  EXPECT_FALSE(bsn_is_valid("+11222333"));
}

TEST(MaskBsn, KeepsOnlyTheLastFourDigits) {
  EXPECT_EQ(mask_bsn("111222333"), "*****2333");
  EXPECT_EQ(mask_bsn("12345672"), "****5672");
}

TEST(MaskBsn, MasksShortValuesEntirely) {
  EXPECT_EQ(mask_bsn(""), "");
  EXPECT_EQ(mask_bsn("1234"), "****");
  EXPECT_EQ(mask_bsn("12"), "**");
}

TEST(RedactBsns, ReplacesAValidBsnInsideText) {
  EXPECT_EQ(redact_bsns("client 111222333 moved"), "client [BSN] moved");
  EXPECT_EQ(redact_bsns("bsn=123456782;case=7"), "bsn=[BSN];case=7");
  EXPECT_EQ(redact_bsns("111222333"), "[BSN]");
  EXPECT_EQ(redact_bsns("(111222333)"), "([BSN])");
}

TEST(RedactBsns, ReplacesEveryOccurrence) {
  EXPECT_EQ(redact_bsns("111222333 and 123456782, again 111222333"),
            "[BSN] and [BSN], again [BSN]");
}

TEST(RedactBsns, LeavesDigitsInsideLongerNumbersAlone) {
  EXPECT_EQ(redact_bsns("iban digits 0111222333"), "iban digits 0111222333");
  EXPECT_EQ(redact_bsns("1112223331"), "1112223331");
  EXPECT_EQ(redact_bsns("order 12345678201234"), "order 12345678201234");
}

TEST(RedactBsns, LeavesNineDigitNumbersThatFailTheElfproef) {
  EXPECT_EQ(redact_bsns("ticket 123456789 open"), "ticket 123456789 open");
  EXPECT_EQ(redact_bsns("000000000"), "000000000");
}

TEST(RedactBsns, LeavesShortNumbersAndTextAlone) {
  EXPECT_EQ(redact_bsns(""), "");
  EXPECT_EQ(redact_bsns("case 42 escalated to level 3"), "case 42 escalated to level 3");
  EXPECT_EQ(redact_bsns("2024-05-01T10:00:00.123+0200"), "2024-05-01T10:00:00.123+0200");
}

TEST(RedactBsns, TreatsLettersAndPunctuationAsBoundaries) {
  EXPECT_EQ(redact_bsns("P111222333x"), "P[BSN]x");
  EXPECT_EQ(redact_bsns("111222333.5"), "[BSN].5");
}

TEST(RedactBsns, KeepsUtf8TextIntact) {
  EXPECT_EQ(redact_bsns("cliënt 111222333 – overlast"), "cliënt [BSN] – overlast");
}

} // namespace

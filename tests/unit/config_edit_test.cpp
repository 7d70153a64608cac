#include "core/config_edit.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "core/diagnostics.h"

namespace ptvsd {
namespace {

const Secret& new_secret() {
  static const Secret secret = Secret::generate();
  return secret;
}

// The text with its one secret value replaced by `value`, found by plain search: the independent
// expectation against which the splice is checked byte for byte.
std::string expected_after(std::string text, std::string_view old_value, std::string_view value) {
  const auto at = text.find(old_value);
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(text.find(old_value, at + 1), std::string::npos) << "old value must be unique in the fixture";
  return text.replace(at, old_value.size(), value);
}

std::string splice(const std::string& text) {
  const XmlText config(text, "web.config");
  return splice_secret(config, new_secret()).str();
}

void expect_only_value_changes(const std::string& text, std::string_view old_value) {
  EXPECT_EQ(splice(text), expected_after(text, old_value, new_secret().reveal()));
}

TEST(SpliceSecret, KeepsBomCrlfCommentsAndQuoting) {
  expect_only_value_changes(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<configuration>\r\n"
      "  <!-- WSGI_PTVSD_SECRET is rotated on publish -->\r\n"
      "  <appSettings>\r\n    <add value = 'OLD-VALUE' key=\"WSGI_PTVSD_SECRET\" />\r\n"
      "  </appSettings>\r\n</configuration>\r\n",
      "OLD-VALUE");
}

TEST(SpliceSecret, LeavesEntitiesInOtherAttributesAlone) {
  expect_only_value_changes(
      "<configuration><appSettings>"
      "<add key=\"A\" value=\"x &amp; y &#x41; &quot;\"/>"
      "<add data-note=\"a&lt;b\" key=\"WSGI_PTVSD_SECRET\"\n\tvalue=\"OLD&amp;VALUE\"/>"
      "</appSettings></configuration>",
      "OLD&amp;VALUE");
}

TEST(SpliceSecret, AttributeNamesThatMerelyContainValueAreSkipped) {
  expect_only_value_changes(
      "<configuration><appSettings><add key=\"WSGI_PTVSD_SECRET\" oldvalue=\"keep\" "
      "xdt:value=\"keep2\" value=\"OLD\"/></appSettings></configuration>",
      "OLD");
}

TEST(SpliceSecret, FindsTheKeyInsideALocation) {
  expect_only_value_changes(
      "<configuration><location path=\".\"><appSettings>"
      "<add key=\"WSGI_PTVSD_SECRET\" value=\"OLD\"/></appSettings></location></configuration>",
      "OLD");
}

TEST(SpliceSecret, EmptyValueIsReplacedToo) {
  const std::string text =
      "<configuration><appSettings><add key=\"WSGI_PTVSD_SECRET\" value=\"\"/></appSettings></configuration>";
  EXPECT_EQ(splice(text), "<configuration><appSettings><add key=\"WSGI_PTVSD_SECRET\" value=\"" +
                              std::string(new_secret().reveal()) + "\"/></appSettings></configuration>");
}

TEST(SpliceSecret, AKeyOnlyInACommentIsMissing) {
  try {
    splice(
        "<configuration><!-- <add key=\"WSGI_PTVSD_SECRET\" value=\"x\"/> -->"
        "<appSettings/></configuration>");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::missing_secret);
  }
}

TEST(SpliceSecret, AnAddWithoutValueIsATransformLocatorNotASetting) {
  const std::string text =
      "<configuration xmlns:xdt=\"x\"><appSettings>"
      "<add key=\"WSGI_PTVSD_SECRET\" xdt:Transform=\"RemoveAll\" xdt:Locator=\"Match(key)\"/>"
      "<add key=\"WSGI_PTVSD_SECRET\" value=\"OLD\" xdt:Transform=\"Insert\"/>"
      "</appSettings></configuration>";
  expect_only_value_changes(text, "OLD");
}

TEST(SpliceSecret, TwiceIsAnErrorAtTheSecondOccurrence) {
  try {
    splice(
        "<configuration>\n<appSettings>\n<add key=\"WSGI_PTVSD_SECRET\" value=\"a\"/>\n"
        "  <add key=\"WSGI_PTVSD_SECRET\" value=\"b\"/>\n</appSettings></configuration>");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::duplicate_secret);
    EXPECT_EQ(error.where().line, 4);
    EXPECT_EQ(error.where().column, 4);
    EXPECT_NE(std::string(error.what()).find("line 3"), std::string::npos);
  }
}

TEST(SpliceSecret, KeyWrittenWithACharacterReferenceStillMatches) {
  expect_only_value_changes(
      "<configuration><appSettings><add key=\"WSGI_PTVSD&#95;SECRET\" value=\"OLD\"/></appSettings>"
      "</configuration>",
      "OLD");
}

TEST(XmlText, MalformedXmlIsLocated) {
  try {
    XmlText config("<configuration>\n  <appSettings>\n</configuration>", "w.config");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::malformed_xml);
    EXPECT_EQ(error.where().file, "w.config");
    EXPECT_EQ(error.where().line, 3);
  }
}

TEST(XmlText, RefusesUtf16AndDoctype) {
  const std::string utf16("\xFF\xFE<\0c\0/\0>\0", 10);
  EXPECT_THROW(XmlText(utf16, "a"), Error);
  try {
    XmlText config("<!DOCTYPE c [<!ENTITY a \"b\">]><c>&a;</c>", "a");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::dtd_refused);
  }
}

// Non-ASCII text in UTF-16 has no NUL byte, so only its byte order mark tells it from UTF-8.
TEST(XmlText, RecognisesUtf16ByItsByteOrderMark) {
  // "\u914D\u7F6E\u6587\u4EF6" ("configuration file") in each byte order, after its BOM.
  const std::pair<std::string, std::string> files[] = {
      {"big", "\xFE\xFF\x91\x4D\x7F\x6E\x65\x87\x4E\xF6"},
      {"little", "\xFF\xFE\x4D\x91\x6E\x7F\x87\x65\xF6\x4E"},
  };
  for (const auto& [order, text] : files) {
    ASSERT_EQ(text.find('\0'), std::string::npos);
    try {
      XmlText config(text, "w.config");
      ADD_FAILURE() << order << "-endian UTF-16 accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::not_utf8) << order;
      EXPECT_NE(std::string(error.what()).find("UTF-16 (" + order + "-endian byte order mark)"), std::string::npos)
          << error.what();
    }
  }
}

TEST(XmlText, RefusesWhatPugixmlToleratesButXmlDoesNot) {
  for (const char* text : {"<configuration/>\n<configuration/>", "junk<configuration/>", "<configuration/>junk",
                           "<configuration><add value='a' value='b'/></configuration>"}) {
    try {
      XmlText config(text, "w");
      ADD_FAILURE() << text << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::malformed_xml) << text;
    }
  }
  EXPECT_NO_THROW(XmlText("<?xml version='1.0'?>\n<!-- c -->\n<configuration/>\n<!-- d -->\n", "w"));
}

TEST(XmlText, RefusesBytesThatAreNotUtf8WhereTheyAre) {
  for (const std::string bad :
       {"\xFF", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3", "\x80"}) {
    try {
      XmlText config("<configuration>\n  <add key='k' value='a" + bad + "'/></configuration>", "w");
      ADD_FAILURE() << "accepted a " << bad.size() << "-byte sequence starting with "
                    << +static_cast<unsigned char>(bad[0]);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::not_utf8);
      EXPECT_EQ(error.where().line, 2);
      EXPECT_EQ(error.where().column, 24);
    }
  }
  // Every length of well-formed UTF-8, and a BOM, still pass.
  EXPECT_NO_THROW(XmlText("\xEF\xBB\xBF<c a='\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF'/>", "w"));
}

TEST(XmlText, RefusesAnAngleBracketInsideAnAttributeValue) {
  for (const char* text : {"<configuration><add key='k' value='a<b'/></configuration>",
                           "<configuration><add key=\"k\" value=\"a<b\"/></configuration>"}) {
    try {
      XmlText config(text, "w");
      ADD_FAILURE() << text << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::malformed_xml) << text;
      EXPECT_EQ(error.where().column, 37) << text;
      EXPECT_NE(std::string(error.what()).find("'<' inside an attribute value"), std::string::npos);
    }
  }
  // Escaped, or where '<' and quotes are only text, it is fine.
  EXPECT_NO_THROW(XmlText("<c a='&lt;' b=\"it's\"><!-- 'x<y' --><![CDATA[ a='<' ]]><?pi a='<'?>it's <d/></c>", "w"));
}

// The message of the malformed_xml error `text` raises, checked to be located at (line, column).
std::string malformed_message(const std::string& text, int line, int column) {
  try {
    XmlText config(text, "w");
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::malformed_xml);
    EXPECT_EQ(error.where().line, line);
    EXPECT_EQ(error.where().column, column);
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text.substr(0, 80);
  return {};
}

TEST(XmlText, RepeatedAttributeIsNamedAtItsElementWhereverItRepeats) {
  EXPECT_EQ(malformed_message("<configuration>\n  <add a='1' b='2' c='3' a='4'/></configuration>", 2, 4),
            "not well-formed XML: attribute 'a' appears twice in <add>");
  EXPECT_EQ(malformed_message("<configuration><add y='1' x='2' x='3' y='4'/></configuration>", 1, 17),
            "not well-formed XML: attribute 'y' appears twice in <add>")
      << "of two repeated names, the one met first in the tag";
}

TEST(XmlText, ManyAttributesOnOneElement) {
  std::string attributes;
  for (int i = 1000; i > 0; --i) attributes += " a" + std::to_string(i) + "='x'";
  EXPECT_NO_THROW(XmlText("<configuration><add" + attributes + "/></configuration>", "w"));
  EXPECT_EQ(malformed_message("<configuration><add" + attributes + " a1000='y'/></configuration>", 1, 17),
            "not well-formed XML: attribute 'a1000' appears twice in <add>");
}

// Each case checked against .NET's XmlDocument.LoadXml, which refuses all the first eight.
TEST(XmlText, TheDeclarationFollowsDotNetsRules) {
  for (const char* declaration :
       {"<?xml version='1.0' version='1.1'?>", " <?xml version='1.0'?>", "<?xml encoding='utf-8'?>",
        "<?xml version='1.0'?><?xml version='1.0'?>", "<!-- c --><?xml version='1.0'?>",
        "<?xml version='1.0' standalone='yes' encoding='utf-8'?>", "<?xml version='1.0' foo='x'?>",
        "\n<?xml version='1.0'?>", "<?xml?>"}) {
    try {
      XmlText config(std::string(declaration) + "\n<configuration/>", "w");
      ADD_FAILURE() << declaration << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::malformed_xml) << declaration;
      EXPECT_NE(std::string(error.what()).find("XML declaration"), std::string::npos) << error.what();
    }
  }
  for (const char* declaration : {"<?xml version='1.0'?>", "\xEF\xBB\xBF<?xml version='1.0'?>",
                                  "<?xml version='1.0' encoding='utf-8' standalone='yes'?>", ""}) {
    EXPECT_NO_THROW(XmlText(std::string(declaration) + "\n<configuration/>", "w")) << declaration;
  }
}

TEST(XmlText, ColumnsCountCharactersNotBytes) {
  const auto where = locate_offset("<a>\n\xC3\xBC\xC3\xBCx", 8, "f");
  EXPECT_EQ(where.line, 2);
  EXPECT_EQ(where.column, 3);
}

TEST(RequireTransformable, RefusesANamespacedOrForeignRoot) {
  EXPECT_NO_THROW(require_transformable(XmlText("<configuration><appSettings/></configuration>", "w")));
  for (const char* text :
       {"<configuration xmlns=\"http://schemas.microsoft.com/.NetConfiguration/v2.0\"/>", "<html/>"}) {
    try {
      require_transformable(XmlText(text, "w"));
      ADD_FAILURE() << text << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::not_transformable);
      EXPECT_EQ(error.where().line, 1);
    }
  }
}

TEST(GeneratedMarker, OursAndTheVisualStudioOneCount) {
  EXPECT_TRUE(has_generated_marker(XmlText("<!-- Generated by ptvsd-publish --><configuration/>", "a")));
  EXPECT_TRUE(has_generated_marker(
      XmlText("<?xml version=\"1.0\"?>\n<!-- Generated web.debug.config for Microsoft Azure. Remove this "
              "comment to prevent modifications being made to this file when publishing. -->\n<configuration/>",
              "a")));
  EXPECT_TRUE(has_generated_marker(XmlText("<configuration><!-- Generated by ptvsd-publish --></configuration>", "a")));
  EXPECT_FALSE(has_generated_marker(XmlText("<!-- my own file --><configuration/>", "a")));
  EXPECT_FALSE(
      has_generated_marker(XmlText("<configuration><a><!-- Generated by ptvsd-publish --></a></configuration>", "a")))
      << "only comments at the top of the file or of the root count";
}

}  // namespace
}  // namespace ptvsd

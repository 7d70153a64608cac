#include "core/xml_memory.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#ifdef __linux__
#include <filesystem>
#include <fstream>
#include <sstream>
#endif

#include "core/platform.h"
#include "core/xml_text.h"

namespace {

using ptvsd::xml_memory_in_use;
using ptvsd::XmlText;

// A config of `settings` app settings, each element distinct, so a document can be checked whole.
std::string config_of(std::size_t settings, const std::string& tag) {
  std::string text = "<configuration><appSettings>";
  for (std::size_t i = 0; i < settings; ++i) {
    text += "<add key=\"" + tag + std::to_string(i) + "\" value=\"v" + std::to_string(i) + "\"/>";
  }
  return text + "</appSettings></configuration>";
}

void expect_settings(const XmlText& xml, std::size_t settings, const std::string& tag) {
  const auto list = xml.document().child("configuration").child("appSettings");
  std::size_t i = 0;
  for (const auto& add : list.children("add")) {
    ASSERT_EQ(add.attribute("key").value(), tag + std::to_string(i));
    ASSERT_EQ(add.attribute("value").value(), "v" + std::to_string(i));
    ++i;
  }
  EXPECT_EQ(i, settings);
}

TEST(XmlMemory, ABigDocumentGrowsItsChunksAndGivesEveryByteBack) {
  const auto before = xml_memory_in_use();
  const auto text = config_of(40000, "k");  // about 1.5 MiB of text, 6 MiB of pages
  {
    const XmlText xml(text, "big.config");
    const auto during = xml_memory_in_use();
    EXPECT_GT(during.blocks, before.blocks + 100);
    // Chunks double, so the document's 180 pages of 32 KiB sit in a few chunks, the last ones in
    // huge pages (2 MiB or more).
    EXPECT_GE(during.chunk_bytes - before.chunk_bytes, std::size_t{180} << 15);
    EXPECT_LE(during.chunks - before.chunks, 8U);
    expect_settings(xml, 40000, "k");
  }
  const auto after = xml_memory_in_use();
  EXPECT_EQ(after.blocks, before.blocks);
  EXPECT_EQ(after.chunks, before.chunks);
  EXPECT_EQ(after.chunk_bytes, before.chunk_bytes);
}

TEST(XmlMemory, DocumentsFreedInAnyOrderKeepTheirOwnBytes) {
  const auto before = xml_memory_in_use();
  std::vector<std::string> texts;
  std::vector<std::unique_ptr<XmlText>> documents;
  for (std::size_t i = 0; i < 12; ++i) texts.push_back(config_of(500 * (i + 1), "d" + std::to_string(i) + "-"));
  for (const auto& text : texts) documents.push_back(std::make_unique<XmlText>(text, "one.config"));
  // Every other one first, then the rest from the last: chunks shared by several documents are
  // given back only with the last block in them.
  for (std::size_t i = 0; i < documents.size(); i += 2) documents[i].reset();
  for (std::size_t i = documents.size(); i-- > 0;) {
    if (!documents[i]) continue;
    expect_settings(*documents[i], 500 * (i + 1), "d" + std::to_string(i) + "-");
    documents[i].reset();
  }
  const auto after = xml_memory_in_use();
  EXPECT_EQ(after.blocks, before.blocks);
  EXPECT_EQ(after.chunk_bytes, before.chunk_bytes);
}

TEST(XmlMemory, ABlockTooBigToCutIsAllocatedAloneAndFreed) {
  const auto before = xml_memory_in_use();
  // pugixml copies the text it parses into one block: 3 MiB here, more than a chunk is cut for.
  const std::string text = "<configuration><a v=\"" + std::string(std::size_t{3} << 20, 'x') + "\"/></configuration>";
  {
    const XmlText xml(text, "long.config");
    EXPECT_GT(xml_memory_in_use().blocks, before.blocks);
    EXPECT_LT(xml_memory_in_use().chunk_bytes - before.chunk_bytes, std::size_t{3} << 20);
    EXPECT_EQ(std::string(xml.document().child("configuration").child("a").attribute("v").value()).size(),
              std::size_t{3} << 20);
  }
  EXPECT_EQ(xml_memory_in_use().blocks, before.blocks);
  EXPECT_EQ(xml_memory_in_use().chunk_bytes, before.chunk_bytes);
}

TEST(XmlMemory, BlocksAreAlignedForAnyTypeAndWipedWhenFreed) {
  const auto allocate = pugi::get_memory_allocation_function();
  const auto deallocate = pugi::get_memory_deallocation_function();
  // Sizes cut from a chunk and sizes allocated alone, huge ones included.
  for (const std::size_t size :
       {std::size_t{1}, std::size_t{24}, std::size_t{32768}, std::size_t{100000}, std::size_t{3} << 20}) {
    auto* block = static_cast<unsigned char*>(allocate(size));
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % alignof(std::max_align_t), 0U) << size;
    std::memset(block, 0x5A, size);  // every byte is usable
    deallocate(block);
  }
  // A block freed while another keeps its chunk alive can be read back: it is zeroed.
  auto* keeper = static_cast<unsigned char*>(allocate(64));
  auto* secret = static_cast<unsigned char*>(allocate(4096));
  std::memset(secret, 'S', 4096);
  deallocate(secret);
  EXPECT_EQ(std::count(secret, secret + 4096, 0), 4096);
  deallocate(keeper);
}

#ifdef __linux__
// The flags of the mapping that holds `address`, as /proc/self/smaps lists them ("rd wr mr ...").
std::string mapping_flags(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') inside = at >= begin && at < end;
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8) + " ";
  }
  return "";
}

// Only that the advice is given: whether small memory is free of it depends on what the heap held
// before (a region once advised keeps the flag), so that is not checked.
TEST(HugePages, ABigBufferIsAdvised) {
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  }
  std::string big;
  ptvsd::platform::reserve_in_huge_pages(big, std::size_t{10} << 20);
  EXPECT_GE(big.capacity(), std::size_t{10} << 20);
  EXPECT_NE(mapping_flags(big.data() + (std::size_t{5} << 20)).find(" hg "), std::string::npos);
}

TEST(HugePages, ABigDocumentsPagesAndItsCopyOfTheTextAreAdvised) {
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  }
  const XmlText big(config_of(40000, "k"), "big.config");
  const auto settings = big.document().child("configuration").child("appSettings");
  // The last element's node is in the last chunk, 2 MiB or more.
  EXPECT_NE(mapping_flags(settings.last_child().internal_object()).find(" hg "), std::string::npos);

  // Values point into pugixml's copy of the text: here one block of 3 MiB, allocated alone.
  const std::string text = "<a v=\"" + std::string(std::size_t{3} << 20, 'x') + "\"/>";
  const XmlText long_value(text, "long.config");
  const char* value = long_value.document().child("a").attribute("v").value();
  EXPECT_NE(mapping_flags(value + (std::size_t{3} << 19)).find(" hg "), std::string::npos);
}
#endif

}  // namespace

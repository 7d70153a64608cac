#include "core/xml_memory.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <new>

#include <pugixml.hpp>
#include <sodium.h>

#include "core/platform.h"

namespace ptvsd {

namespace {

// pugixml builds a document in pages of 32 KiB, one allocation each: a 10 MiB config takes about
// 570 of them, 18 MiB first touched 4 KiB at a time (4,700 page faults, a third of a rotate's
// time on this project's VMs; bench/README.md). Cut from chunks each as big as the chunks in use
// (so they double while a document grows), from 96 KiB (a template's two pages, as cheap as
// before) to 8 MiB, a big document's pages come in huge pages. Bigger blocks (pugixml's copy of a
// text it parses) are allocated alone.
constexpr std::size_t first_chunk = std::size_t{96} << 10;
constexpr std::size_t last_chunk = std::size_t{8} << 20;
constexpr std::size_t largest_cut = std::size_t{64} << 10;

// In front of each block: its size, since pugixml's deallocate() is not told it, and its chunk.
struct Chunk;
struct alignas(std::max_align_t) BlockHeader {
  std::size_t size;
  Chunk* chunk;  // null: allocated alone
};

struct alignas(std::max_align_t) Chunk {
  std::size_t size;  // with this header
  std::size_t used;
  std::size_t live_blocks;
};

std::size_t round_up(std::size_t size, std::size_t unit = alignof(std::max_align_t)) {
  return (size + unit - 1) / unit * unit;
}

// Where the system has huge pages, memory of one or more is taken in whole huge pages, aligned: a
// block's head or tail short of one would be first touched 4 KiB at a time.
bool in_huge_pages(std::size_t size) {
  const auto huge = platform::huge_page_size();
  return huge != 0 && size >= huge;
}
std::size_t size_to_take(std::size_t size) {
  return in_huge_pages(size) ? round_up(size, platform::huge_page_size()) : size;
}
std::align_val_t alignment_for(std::size_t size) {
  return std::align_val_t(in_huge_pages(size) ? platform::huge_page_size() : alignof(std::max_align_t));
}

void* take(std::size_t size) {
  void* memory = ::operator new(size, alignment_for(size), std::nothrow);
  if (memory != nullptr) platform::prefer_huge_pages(memory, size);
  return memory;
}

void give_back(void* memory, std::size_t size) { ::operator delete(memory, alignment_for(size)); }

class XmlMemory {
 public:
  void* allocate(std::size_t size) {
    if (size > std::numeric_limits<std::size_t>::max() / 2) return nullptr;  // the total would wrap
    const auto total = round_up(sizeof(BlockHeader) + size);
    BlockHeader* header = total <= largest_cut ? cut(total) : allocate_alone(total);
    if (header == nullptr) return nullptr;
    header->size = size;
    return header + 1;
  }

  void deallocate(void* pointer) {
    if (pointer == nullptr) return;
    auto* header = static_cast<BlockHeader*>(pointer) - 1;
    Chunk* chunk = header->chunk;
    const auto total = sizeof(BlockHeader) + header->size;
    sodium_memzero(header, total);
    const std::lock_guard<std::mutex> lock(mutex_);
    --in_use_.blocks;
    if (chunk == nullptr) {
      give_back(header, size_to_take(round_up(total)));
    } else if (--chunk->live_blocks == 0) {
      release(chunk);
    }
  }

  XmlMemoryInUse in_use() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return in_use_;
  }

 private:
  BlockHeader* allocate_alone(std::size_t total) {
    void* block = take(size_to_take(total));
    if (block == nullptr) return nullptr;
    const std::lock_guard<std::mutex> lock(mutex_);
    ++in_use_.blocks;
    return new (block) BlockHeader{0, nullptr};
  }

  BlockHeader* cut(std::size_t total) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if ((current_ == nullptr || current_->size - current_->used < total) && !start_chunk()) return nullptr;
    void* block = reinterpret_cast<unsigned char*>(current_) + current_->used;
    current_->used += total;
    ++current_->live_blocks;
    ++in_use_.blocks;
    return new (block) BlockHeader{0, current_};
  }

  // A chunk is cut until it is full, and released with its last block.
  bool start_chunk() {
    auto size = size_to_take(std::clamp(in_use_.chunk_bytes, first_chunk, last_chunk));
    void* memory = take(size);
    if (memory == nullptr && size > first_chunk) memory = take(size = first_chunk);  // short of memory
    if (memory == nullptr) return false;
    current_ = new (memory) Chunk{size, sizeof(Chunk), 0};
    ++in_use_.chunks;
    in_use_.chunk_bytes += size;
    return true;
  }

  void release(Chunk* chunk) {
    if (chunk == current_) current_ = nullptr;
    const auto size = chunk->size;
    --in_use_.chunks;
    in_use_.chunk_bytes -= size;
    give_back(chunk, size);
  }

  std::mutex mutex_;
  Chunk* current_ = nullptr;
  XmlMemoryInUse in_use_;
};

XmlMemory& memory() {
  static XmlMemory instance;
  return instance;
}

void* allocate(std::size_t size) { return memory().allocate(size); }
void deallocate(void* pointer) { memory().deallocate(pointer); }

}  // namespace

void wipe_xml_memory_on_free() { pugi::set_memory_management_functions(allocate, deallocate); }

XmlMemoryInUse xml_memory_in_use() { return memory().in_use(); }

}  // namespace ptvsd

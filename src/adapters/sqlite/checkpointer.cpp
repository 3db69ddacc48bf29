#include "adapters/sqlite/checkpointer.hpp"

#include <sqlite3.h>

namespace shop::sqlite {

Checkpointer::Checkpointer(const DatabaseSettings& settings)
    : connection_(std::make_unique<Connection>(settings)), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::watch(Connection& writer) {
  // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(
      writer.handle().getHandle(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Checkpointer*>(self)->log_grew(pages);
        return SQLITE_OK;
      },
      this);
}

void Checkpointer::log_grew(int pages) {
  if (pages < pages_between_checkpoints) return;
  {
    std::lock_guard lock(mutex_);
    due_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // BUSY (another process is checkpointing) or a failed copy loses
    // nothing: the log only grows until the next attempt succeeds.
    sqlite3_wal_checkpoint_v2(connection_->handle().getHandle(), nullptr,
                              SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace shop::sqlite

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sqlite/sqlite_fixture.hpp"

using namespace shop;

namespace {

sqlite::DatabaseSettings checkpointing_at(const std::string& path, int pages) {
  auto settings = testing::settings_for(path);
  settings.checkpoint_after_pages = pages;
  return settings;
}

struct CounterDatabase {
  testing::TempDir dir;
  sqlite::Database database{checkpointing_at(dir.file("group.db"), 1000)};
  std::atomic<int> commits{0};

  CounterDatabase() {
    database.write([](sqlite::Connection& connection) {
      connection.handle().exec(
          "CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);"
          "CREATE TABLE mark (name TEXT PRIMARY KEY)");
    });
    database.on_commit([this] { ++commits; });
  }

  void add_mark(const std::string& name) {
    database.write([&](sqlite::Connection& connection) {
      auto insert = connection.prepare("INSERT INTO mark (name) VALUES (?)");
      insert->bind(1, name);
      insert->exec();
    });
  }

  bool has_mark(const std::string& name) {
    auto select = database.reader().prepare("SELECT count(*) FROM mark WHERE name = ?");
    select->bind(1, name);
    select->executeStep();
    return select->getColumn(0).getInt() == 1;
  }
};

}  // namespace

TEST_CASE("writes queued behind a commit share the next one, each atomic on its own") {
  CounterDatabase db;
  std::promise<void> release;
  auto held = release.get_future().share();
  // The first write holds its commit open until the others have queued behind it.
  std::thread first([&] {
    db.database.write([&](sqlite::Connection& connection) {
      held.wait();
      connection.run("INSERT INTO mark (name) VALUES ('first')");
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::vector<std::thread> queued;
  std::atomic<int> refused{0};
  for (int i = 0; i < 8; ++i) {
    queued.emplace_back([&, i] {
      try {
        db.database.write([&](sqlite::Connection& connection) {
          auto insert = connection.prepare("INSERT INTO mark (name) VALUES (?)");
          insert->bind(1, "queued-" + std::to_string(i));
          insert->exec();
          if (i == 3) throw std::runtime_error("refused after writing");
        });
      } catch (const std::runtime_error&) {
        ++refused;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  release.set_value();
  first.join();
  for (auto& thread : queued) thread.join();

  CHECK(db.commits == 2);
  CHECK(refused == 1);
  CHECK(db.has_mark("first"));
  CHECK_FALSE(db.has_mark("queued-3"));
  for (int i : {0, 1, 2, 4, 5, 6, 7}) CHECK(db.has_mark("queued-" + std::to_string(i)));
}

TEST_CASE("concurrent read-modify-write increments are neither lost nor doubled") {
  CounterDatabase db;
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        db.database.write([](sqlite::Connection& connection) {
          auto read = connection.prepare("SELECT n FROM counter");
          read->executeStep();
          auto n = read->getColumn(0).getInt64();
          read->reset();
          auto update = connection.prepare("UPDATE counter SET n = ?");
          update->bind(1, n + 1);
          update->exec();
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto total = db.database.reader().prepare("SELECT n FROM counter");
  total->executeStep();
  CHECK(total->getColumn(0).getInt64() == 16 * 50);
  CHECK(db.commits <= 16 * 50);
}

TEST_CASE("a write that fails inside a group is reported to its caller only") {
  CounterDatabase db;
  db.add_mark("before");
  CHECK_THROWS_AS(db.add_mark("before"), SQLite::Exception);  // primary key
  db.add_mark("after");
  CHECK(db.has_mark("before"));
  CHECK(db.has_mark("after"));
}

TEST_CASE("under a steady write load with readers the log is recycled, not grown") {
  CounterDatabase db;
  db.database.write([](sqlite::Connection& connection) {
    connection.handle().exec("CREATE TABLE page (body BLOB NOT NULL)");
  });
  std::atomic<bool> writing{true};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (writing) {
        auto count = db.database.reader().prepare("SELECT count(*) FROM page");
        count->executeStep();
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < 16; ++w) {
    writers.emplace_back([&] {
      std::string body(3500, 'x');  // about a page a row
      for (int i = 0; i < 500; ++i) {
        db.database.write([&](sqlite::Connection& connection) {
          auto insert = connection.prepare("INSERT INTO page (body) VALUES (?)");
          insert->bind(1, body.data(), int(body.size()));
          insert->exec();
        });
      }
    });
  }
  for (auto& writer : writers) writer.join();
  writing = false;
  for (auto& reader : readers) reader.join();
  // 8,000 pages went through the log; recycled at 1,000 it stays a few MiB.
  auto log_bytes = std::filesystem::file_size(db.dir.file("group.db") + "-wal");
  CHECK(log_bytes < 12u * 1024 * 1024);
}

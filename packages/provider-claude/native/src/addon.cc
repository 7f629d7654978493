// N-API entry of the native Claude usage scan: `new CostScan(paths, fromOffsets, sessions, sources, maxLineBytes,
// chunkBytes)` scans many files on its own threads (`run(threads)`, off the JavaScript thread), lets JavaScript
// hand over the rows of files it gave back (`fileInfo`, `addRows`), then `finish()` deduplicates natively and
// hands out only the rows that count (`next(max)`, in batches). A negative fromOffset hands a file back unread.
// `scanFileSync` reads one file's records for `scanClaudeUsage` (the live index, scan workers).
#include <napi.h>
#include <simdjson.h>

#include <cstring>
#include <memory>

#include "cost-scan.h"

namespace {

using agentmux::ColumnWriter;
using agentmux::FileRows;

template <typename T>
Napi::Value typedArray(Napi::Env env, const std::vector<T> &values, napi_typedarray_type type) {
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(buffer.Data(), values.data(), values.size() * sizeof(T));
  napi_value array;
  napi_create_typedarray(env, type, values.size(), buffer, 0, &array);
  return Napi::Value(env, array);
}

Napi::Object columns(Napi::Env env, const ColumnWriter &w, bool withSessions) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("count", static_cast<double>(w.count));
  o.Set("numbers", typedArray(env, w.numbers, napi_float64_array));
  o.Set("refs", typedArray(env, w.refs, napi_int32_array));
  o.Set("ends", typedArray(env, w.ends, napi_int32_array));
  if (withSessions) o.Set("sessions", typedArray(env, w.sessions, napi_int32_array));
  napi_value text;
  if (w.textAscii) napi_create_string_latin1(env, w.text.data(), w.text.size(), &text);
  else napi_create_string_utf8(env, w.text.data(), w.text.size(), &text);
  o.Set("text", Napi::Value(env, text));
  return o;
}

/** `{ bail }` or `{ skipped, bytes, nextOffset }` of one file. */
Napi::Object fileInfo(Napi::Env env, const FileRows &f) {
  Napi::Object o = Napi::Object::New(env);
  if (!f.bail.empty()) o.Set("bail", f.bail);
  Napi::Object skipped = Napi::Object::New(env);
  for (const auto &kv : f.skipped) skipped.Set(kv.first, kv.second);
  o.Set("skipped", skipped);
  o.Set("bytes", f.bytes);
  o.Set("nextOffset", f.nextOffset);
  return o;
}

/**
 * `scanFileSync(path, fromOffset, maxLineBytes, chunkBytes, session, source)`: every usage record of one file (from
 * an offset), on the calling thread: `{ bail }` or `{ skipped, bytes, nextOffset, count, numbers, refs, text, ends }`.
 */
Napi::Value ScanFileSync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber() ||
      !info[4].IsString() || !info[5].IsString()) {
    Napi::TypeError::New(env, "scanFileSync(path, fromOffset, maxLineBytes, chunkBytes, session, source)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  agentmux::ScanRequest request;
  request.path = info[0].As<Napi::String>().Utf8Value();
  request.fromOffset = info[1].As<Napi::Number>().DoubleValue();
  request.maxLineBytes = info[2].As<Napi::Number>().DoubleValue();
  request.chunkBytes = info[3].As<Napi::Number>().DoubleValue();
  request.session = info[4].As<Napi::String>().Utf8Value();
  request.source = info[5].As<Napi::String>().Utf8Value();
  request.reduce = false;
  FileRows rows;
  agentmux::scanFile(request, rows);
  Napi::Object result = fileInfo(env, rows);
  if (!rows.bail.empty()) return result;
  ColumnWriter w;
  for (const auto &row : rows.rows) w.add(rows, row);
  Napi::Object c = columns(env, w, false);
  for (const char *k : {"count", "numbers", "refs", "ends", "text"}) result.Set(k, c.Get(k));
  return result;
}

class CostScanWrap : public Napi::ObjectWrap<CostScanWrap> {
public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CostScan",
                       {InstanceMethod("run", &CostScanWrap::Run), InstanceMethod("progress", &CostScanWrap::Progress),
                        InstanceMethod("fileInfo", &CostScanWrap::FileInfo), InstanceMethod("addRows", &CostScanWrap::AddRows),
                        InstanceMethod("finish", &CostScanWrap::Finish), InstanceMethod("next", &CostScanWrap::Next)});
  }

  explicit CostScanWrap(const Napi::CallbackInfo &info) : Napi::ObjectWrap<CostScanWrap>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 6 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsArray() || !info[3].IsArray() ||
        !info[4].IsNumber() || !info[5].IsNumber()) {
      Napi::TypeError::New(env, "new CostScan(paths, fromOffsets, sessions, sources, maxLineBytes, chunkBytes)").ThrowAsJavaScriptException();
      return;
    }
    Napi::Array paths = info[0].As<Napi::Array>(), from = info[1].As<Napi::Array>();
    Napi::Array sessions = info[2].As<Napi::Array>(), sources = info[3].As<Napi::Array>();
    std::vector<agentmux::ScanRequest> requests(paths.Length());
    for (uint32_t i = 0; i < paths.Length(); i += 1) {
      auto &r = requests[i];
      r.path = paths.Get(i).As<Napi::String>().Utf8Value();
      r.fromOffset = from.Get(i).As<Napi::Number>().DoubleValue();
      r.session = sessions.Get(i).As<Napi::String>().Utf8Value();
      r.source = sources.Get(i).As<Napi::String>().Utf8Value();
      r.maxLineBytes = info[4].As<Napi::Number>().DoubleValue();
      r.chunkBytes = info[5].As<Napi::Number>().DoubleValue();
    }
    scan_ = std::make_shared<agentmux::CostScan>(std::move(requests));
  }

private:
  class RunWorker : public Napi::AsyncWorker {
  public:
    RunWorker(Napi::Env env, std::shared_ptr<agentmux::CostScan> scan, int threads, CostScanWrap *owner)
        : Napi::AsyncWorker(env), scan_(std::move(scan)), threads_(threads), owner_(owner),
          deferred_(Napi::Promise::Deferred::New(env)) {}
    Napi::Promise Promise() { return deferred_.Promise(); }
    void Execute() override { scan_->run(threads_); }
    void OnOK() override {
      owner_->running_ = false;
      deferred_.Resolve(Env().Undefined());
    }
    void OnError(const Napi::Error &error) override {
      owner_->running_ = false;
      deferred_.Reject(error.Value());
    }

  private:
    std::shared_ptr<agentmux::CostScan> scan_;
    int threads_;
    CostScanWrap *owner_;
    Napi::Promise::Deferred deferred_;
  };

  bool idle(Napi::Env env) {
    if (running_ || ran_ != 1) {
      Napi::Error::New(env, running_ ? "CostScan: wait for run() to settle first" : "CostScan: call run() once first").ThrowAsJavaScriptException();
      return false;
    }
    return true;
  }

  Napi::Value Run(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (ran_ != 0) {
      Napi::Error::New(env, "CostScan: run() was already called").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const int threads = info.Length() > 0 && info[0].IsNumber() ? std::max(1, info[0].As<Napi::Number>().Int32Value()) : 2;
    ran_ = 1;
    running_ = true;
    auto *worker = new RunWorker(env, scan_, threads, this);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value Progress(const Napi::CallbackInfo &info) {
    Napi::Array a = Napi::Array::New(info.Env(), 2);
    a.Set(0u, static_cast<double>(scan_->filesDone()));
    a.Set(1u, static_cast<double>(scan_->bytesDone()));
    return a;
  }

  Napi::Value FileInfo(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!idle(env)) return env.Undefined();
    const uint32_t i = info[0].As<Napi::Number>().Uint32Value();
    if (i >= scan_->size()) return env.Undefined();
    return fileInfo(env, scan_->file(i));
  }

  /**
   * Rows the TypeScript scan read for a file the native scan handed back: numbers (8 per row), flags per row (1
   * isSidechain, 2 fast), strings (timestamp, model, cwd, dedup key, session, source session per row; '' = absent).
   */
  Napi::Value AddRows(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!idle(env)) return env.Undefined();
    const uint32_t i = info[0].As<Napi::Number>().Uint32Value();
    Napi::Float64Array numbers = info[1].As<Napi::Float64Array>();
    Napi::Int32Array side = info[2].As<Napi::Int32Array>();
    Napi::Array strings = info[3].As<Napi::Array>();
    if (i >= scan_->size() || side.ElementLength() * 8 != numbers.ElementLength() || strings.Length() != side.ElementLength() * 6) {
      Napi::RangeError::New(env, "CostScan.addRows: 8 numbers, 1 flag and 6 strings per row").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    FileRows &f = scan_->file(i);
    f.bail.clear();
    f.rows.clear();
    f.session.clear();
    f.source.clear();
    for (size_t r = 0; r < side.ElementLength(); r += 1) {
      agentmux::Record rec;
      const double *n = numbers.Data() + r * 8;
      rec.tokens.input = n[0];
      rec.tokens.output = n[1];
      rec.tokens.cacheWrite5m = n[2];
      rec.tokens.cacheWrite1h = n[3];
      rec.tokens.cacheRead = n[4];
      rec.tokens.webSearch = n[6];
      rec.hasCost = n[7] == n[7];
      rec.cost = rec.hasCost ? n[7] : 0;
      const int32_t flags = side[r];
      rec.sidechain = (flags & 1) != 0;
      rec.tokens.fast = (flags & 2) != 0;
      agentmux::Str *slots[6] = {&rec.timestamp, &rec.model, &rec.cwd, &rec.key, &rec.session, &rec.source};
      for (uint32_t k = 0; k < 6; k += 1) *slots[k] = f.add(strings.Get(static_cast<uint32_t>(r * 6 + k)).As<Napi::String>().Utf8Value());
      f.rows.push_back(rec);
    }
    f.compact();
    f.hashKeys();
    return env.Undefined();
  }

  /** Deduplicates; returns [rows without a key, winners]. */
  Napi::Value Finish(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!idle(env)) return env.Undefined();
    const size_t counted = scan_->finish();
    ran_ = 2;
    Napi::Array a = Napi::Array::New(env, 2);
    a.Set(0u, static_cast<double>(scan_->unkeyedCount()));
    a.Set(1u, static_cast<double>(counted - scan_->unkeyedCount()));
    return a;
  }

  /** The next rows that count (at most `max`) as columns, or null when all were handed out; `keys` false: no dedup keys. */
  Napi::Value Next(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (ran_ != 2 || !scan_) {
      Napi::Error::New(env, "CostScan: call finish() first").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const size_t max = info.Length() > 0 && info[0].IsNumber() ? std::max<int64_t>(1, info[0].As<Napi::Number>().Int64Value()) : 4096;
    const bool keys = !(info.Length() > 1 && info[1].IsBoolean() && !info[1].As<Napi::Boolean>().Value());
    ColumnWriter w(keys);
    if (!scan_->next(max, w)) {
      scan_.reset();
      return env.Null();
    }
    return columns(env, w, true);
  }

  std::shared_ptr<agentmux::CostScan> scan_;
  bool running_ = false;
  int ran_ = 0; // 0 new, 1 ran, 2 finished
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("CostScan", CostScanWrap::Define(env));
  exports.Set("scanFileSync", Napi::Function::New(env, ScanFileSync));
  exports.Set("simdjsonVersion", Napi::String::New(env, SIMDJSON_STRINGIFY(SIMDJSON_VERSION)));
  return exports;
}

} // namespace

NODE_API_MODULE(claude_usage_scan, Init)

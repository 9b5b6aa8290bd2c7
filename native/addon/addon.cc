// SPDX-License-Identifier: Apache-2.0
//
// The Node binding of live_ring (live_ring.h): one class, LiveRing, whose
// methods forward to the C functions. JS owns the slot Buffers and keeps
// them referenced here, so their memory stays put while the consumer
// thread fills them; `start()` (driver load, /proc scan) and `next()`
// (waiting for a filled slot) run on libuv's thread pool
// (Napi::AsyncWorker), never on the JS thread. Options are checked in
// live/live-capture.ts before they get here.

#include <napi.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "live_ring.h"
extern "C" {
#include "proc_scan.h"
#include "writer.h"
}

namespace {

class LiveRing : public Napi::ObjectWrap<LiveRing> {
public:
	static Napi::Function Define(Napi::Env env)
	{
		return DefineClass(env, "LiveRing",
				   {
					   InstanceMethod<&LiveRing::Start>("start"),
					   InstanceMethod<&LiveRing::Preamble>("preamble"),
					   InstanceMethod<&LiveRing::Rescan>("rescan"),
					   InstanceMethod<&LiveRing::Next>("next"),
					   InstanceMethod<&LiveRing::Release>("release"),
					   InstanceMethod<&LiveRing::Stats>("stats"),
					   InstanceMethod<&LiveRing::Stop>("stop"),
				   });
	}

	// new LiveRing({ snaplen, pid, ringBytes }, [slot Buffers]); nothing is loaded before start().
	LiveRing(const Napi::CallbackInfo &info) : Napi::ObjectWrap<LiveRing>(info)
	{
		Napi::Object opts = info[0].As<Napi::Object>();
		Napi::Array buffers = info[1].As<Napi::Array>();
		for (uint32_t i = 0; i < buffers.Length(); i++) {
			Napi::Buffer<uint8_t> b = buffers.Get(i).As<Napi::Buffer<uint8_t>>();
			slots_.push_back(Napi::Persistent(b));
			slot_mem_.push_back({ b.Data(), b.Length() });
		}
		opts_.snaplen = opts.Get("snaplen").As<Napi::Number>().Uint32Value();
		opts_.target_tgid = opts.Get("pid").As<Napi::Number>().Uint32Value();
		opts_.ring_bytes = opts.Get("ringBytes").As<Napi::Number>().Uint32Value();
	}

	~LiveRing() override { live_ring__free(ring_); }

private:
	// Loading the driver and scanning /proc take a while: on the thread pool.
	class StartWorker : public Napi::AsyncWorker {
	public:
		StartWorker(Napi::Env env, LiveRing *owner, Napi::Object self)
			: Napi::AsyncWorker(env, "scapkit.live.start"), owner_(owner), deferred_(Napi::Promise::Deferred::New(env))
		{
			self_ = Napi::Persistent(self);
		}
		Napi::Promise Promise() { return deferred_.Promise(); }
		void Execute() override
		{
			loader_opts lo = owner_->opts_;
			lo.boot_ts_epoch_ns = boot_ts_epoch_ns();
			ring_ = live_ring__start(&lo, owner_->slot_mem_.data(), (uint32_t)owner_->slot_mem_.size(), &err_);
		}
		void OnOK() override
		{
			Napi::Env env = Env();
			owner_->starting_ = false;
			if (!ring_) {
				Napi::Error e = Napi::Error::New(env, std::string("cannot start the live capture: ") + strerror(-err_));
				e.Set("errno", Napi::Number::New(env, -err_));
				deferred_.Reject(e.Value());
				return;
			}
			owner_->ring_ = ring_;
			deferred_.Resolve(env.Undefined());
		}
		void OnError(const Napi::Error &e) override
		{
			owner_->starting_ = false;
			deferred_.Reject(e.Value());
		}

	private:
		LiveRing *owner_;
		Napi::ObjectReference self_;
		Napi::Promise::Deferred deferred_;
		live_ring *ring_ = nullptr;
		int err_ = 0;
	};

	Napi::Value Start(const Napi::CallbackInfo &info)
	{
		if (ring_ || starting_) {
			Napi::Error::New(info.Env(), "LiveRing: start() called twice").ThrowAsJavaScriptException();
			return info.Env().Undefined();
		}
		starting_ = true;
		auto *w = new StartWorker(info.Env(), this, info.This().As<Napi::Object>());
		Napi::Promise p = w->Promise();
		w->Queue();
		return p;
	}

	class NextWorker : public Napi::AsyncWorker {
	public:
		NextWorker(Napi::Env env, LiveRing *owner, Napi::Object self)
			: Napi::AsyncWorker(env, "scapkit.live.next"), owner_(owner), deferred_(Napi::Promise::Deferred::New(env))
		{
			// Keeps the LiveRing (and its slots) alive while the thread pool waits on it.
			self_ = Napi::Persistent(self);
		}
		Napi::Promise Promise() { return deferred_.Promise(); }
		// Thread pool: no JS here.
		void Execute() override { rc_ = live_ring__next(owner_->ring_, &slot_, &len_); }
		void OnOK() override
		{
			Napi::Env env = Env();
			if (rc_ != 0) {
				deferred_.Resolve(env.Null());
				return;
			}
			Napi::Object r = Napi::Object::New(env);
			r.Set("slot", Napi::Number::New(env, slot_));
			r.Set("length", Napi::Number::New(env, (double)len_));
			deferred_.Resolve(r);
		}
		void OnError(const Napi::Error &e) override { deferred_.Reject(e.Value()); }

	private:
		LiveRing *owner_;
		Napi::ObjectReference self_;
		Napi::Promise::Deferred deferred_;
		int rc_ = 0;
		uint32_t slot_ = 0;
		size_t len_ = 0;
	};

	// A copy of the section header and state blocks.
	Napi::Value Preamble(const Napi::CallbackInfo &info)
	{
		const void *data = nullptr;
		size_t len = 0;
		if (ring_)
			live_ring__preamble(ring_, &data, &len);
		return Napi::Buffer<uint8_t>::Copy(info.Env(), static_cast<const uint8_t *>(data), len);
	}

	// A /proc scan takes a while (about 0.3 ms a thread): on the thread pool.
	class RescanWorker : public Napi::AsyncWorker {
	public:
		RescanWorker(Napi::Env env, LiveRing *owner, Napi::Object self)
			: Napi::AsyncWorker(env, "scapkit.live.rescan"), owner_(owner), deferred_(Napi::Promise::Deferred::New(env))
		{
			self_ = Napi::Persistent(self);
		}
		~RescanWorker() override
		{
			if (opened_)
				writer__close(&out_);
		}
		Napi::Promise Promise() { return deferred_.Promise(); }
		void Execute() override
		{
			err_ = writer__open_memory(&out_);
			opened_ = err_ == 0;
			if (opened_)
				err_ = live_ring__rescan(&out_);
		}
		void OnOK() override
		{
			Napi::Env env = Env();
			owner_->rescanning_ = false;
			if (err_) {
				Napi::Error e = Napi::Error::New(env, std::string("cannot scan /proc: ") + strerror(-err_));
				e.Set("errno", Napi::Number::New(env, -err_));
				deferred_.Reject(e.Value());
				return;
			}
			deferred_.Resolve(Napi::Buffer<uint8_t>::Copy(env, out_.buf, out_.len));
		}
		void OnError(const Napi::Error &e) override
		{
			owner_->rescanning_ = false;
			deferred_.Reject(e.Value());
		}

	private:
		LiveRing *owner_;
		Napi::ObjectReference self_;
		Napi::Promise::Deferred deferred_;
		writer out_ = {};
		bool opened_ = false;
		int err_ = 0;
	};

	// Promise of a fresh section header and state blocks (live_ring__rescan).
	Napi::Value Rescan(const Napi::CallbackInfo &info)
	{
		if (!ring_ || rescanning_) {
			Napi::Error::New(info.Env(), ring_ ? "LiveRing: rescan() while one runs" : "LiveRing: rescan() before start()")
				.ThrowAsJavaScriptException();
			return info.Env().Undefined();
		}
		rescanning_ = true;
		auto *w = new RescanWorker(info.Env(), this, info.This().As<Napi::Object>());
		Napi::Promise p = w->Promise();
		w->Queue();
		return p;
	}

	// Promise of { slot, length }, or null once stopped and every filled slot was handed out.
	Napi::Value Next(const Napi::CallbackInfo &info)
	{
		if (!ring_) {
			auto d = Napi::Promise::Deferred::New(info.Env());
			d.Resolve(info.Env().Null());
			return d.Promise();
		}
		auto *w = new NextWorker(info.Env(), this, info.This().As<Napi::Object>());
		Napi::Promise p = w->Promise();
		w->Queue();
		return p;
	}

	Napi::Value Release(const Napi::CallbackInfo &info)
	{
		if (ring_)
			live_ring__release(ring_, info[0].As<Napi::Number>().Uint32Value());
		return info.Env().Undefined();
	}

	Napi::Value Stats(const Napi::CallbackInfo &info)
	{
		Napi::Env env = info.Env();
		live_stats s = {};
		if (ring_)
			live_ring__stats(ring_, &s);
		Napi::Object o = Napi::Object::New(env);
		o.Set("events", Napi::Number::New(env, (double)s.events));
		o.Set("bytes", Napi::Number::New(env, (double)s.bytes));
		o.Set("drops", Napi::Number::New(env, (double)s.drops));
		o.Set("discarded", Napi::Number::New(env, (double)s.discarded));
		o.Set("stalls", Napi::Number::New(env, (double)s.stalls));
		o.Set("error", Napi::Number::New(env, s.error));
		return o;
	}

	// stop(drain): joins the consumer thread and destroys every BPF object.
	Napi::Value Stop(const Napi::CallbackInfo &info)
	{
		if (ring_)
			live_ring__stop(ring_, info[0].ToBoolean().Value());
		return info.Env().Undefined();
	}

	loader_opts opts_ = {};
	live_ring *ring_ = nullptr;
	bool starting_ = false;
	bool rescanning_ = false;
	std::vector<Napi::Reference<Napi::Buffer<uint8_t>>> slots_;
	std::vector<live_slot> slot_mem_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
	exports.Set("LiveRing", LiveRing::Define(env));
	return exports;
}

} // namespace

NODE_API_MODULE(scap_live, Init)

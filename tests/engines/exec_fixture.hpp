// What the exec tests share: a scratch directory, a test host, and shorthands.
#pragma once

#include "support/plugins.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_host.hpp"

#include <memory_streams.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace holdfast::testing {

class exec_engine_test : public ::testing::Test {
protected:
    client::engine_instance open(const nlohmann::json& settings) {
        return open_engine("exec", settings.dump(), host.services());
    }
    memory_target backup(const nlohmann::json& settings) {
        memory_target target;
        open(settings).backup("{}", target);
        return target;
    }
    // Runs `body`, expects a plugin_error with `code`; returns its message.
    static std::string failure(const std::function<void()>& body, hf_status code) {
        try {
            body();
            ADD_FAILURE() << "expected a failure with status " << code;
        } catch (const client::plugin_error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            return e.what();
        }
        return {};
    }
    static double seconds_since(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    scratch_dir dir;
    test_host host;
};

}  // namespace holdfast::testing

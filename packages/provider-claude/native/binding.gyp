{
  "targets": [
    {
      "target_name": "claude_usage_scan",
      "sources": ["src/addon.cc", "src/cost-scan.cc", "src/file-scan.cc", "src/usage-line.cc", "src/usage-rows.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "libraries": ["-lsimdjson"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3"],
      "cflags_cc!": ["-std=gnu++17"]
    }
  ]
}

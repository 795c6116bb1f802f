// Factories of every CLI command, one per file in this folder.
#pragma once

#include "cli/command.hpp"

namespace holdfast::cli {

command plugins_command();         // plugins.cpp
command config_check_command();    // config_check.cpp
command config_example_command();  // config_example.cpp
command backup_command();          // backup.cpp
command restore_command();         // restore.cpp
command dump_command();            // dump.cpp
command clone_command();           // clone.cpp
command sources_command();         // sources.cpp
command detect_command();          // detect.cpp
command verify_command();          // verify.cpp
command init_command();            // init.cpp
command snapshots_command();       // snapshots.cpp
command key_list_command();        // key.cpp
command key_add_command();         // key.cpp
command key_remove_command();      // key.cpp
command key_passwd_command();      // key.cpp
command unlock_command();          // unlock.cpp
command stats_command();           // stats.cpp
command check_command();           // check.cpp
command forget_command();          // forget.cpp
command prune_command();           // prune.cpp

}  // namespace holdfast::cli

/*
 * expected_layout.h — the frozen layout of every public struct of ABI 1.x on LP64
 * (x86_64, aarch64), and the values of every public constant.
 *
 * Each list is an X-macro: the C11 check (layout_c11.c) turns an entry into _Static_assert,
 * the C++ check (layout_cxx.cpp) into static_assert. A failing assertion here means a
 * public struct moved a field or changed size: an ABI break. A field appended at the end
 * of a struct that has `struct_size` adds a line here (and grows its size); nothing else
 * may change. Numbers were measured with GCC 12 on x86_64 and checked by hand.
 * check_layout_coverage.py fails when a public struct or field is missing here.
 */
#ifndef HEARTH_TESTS_ABI_EXPECTED_LAYOUT_H
#define HEARTH_TESTS_ABI_EXPECTED_LAYOUT_H

/* X(type, sizeof, alignof) for every public struct. */
#define HEARTH_EXPECTED_SIZES(X)       \
  X(hearth_value, 40, 8)               \
  X(hearth_event, 56, 8)               \
  X(hearth_migration, 32, 8)           \
  X(hearth_host, 112, 8)               \
  X(hearth_text_sink, 24, 8)           \
  X(hearth_query_handler, 16, 8)       \
  X(hearth_plugin_descriptor, 64, 8)   \
  X(hearth_plugin_entry, 56, 8)        \
  X(hearth_plugin_info, 72, 8)         \
  X(hearth_actor, 48, 8)               \
  X(hearth_record_context, 48, 8)      \
  X(hearth_policy_extension, 16, 8)    \
  X(hearth_signal, 96, 8)              \
  X(hearth_ingest_result, 40, 8)       \
  X(hearth_audit_record, 32, 8)       \
  X(hearth_audit_extension, 16, 8)    \
  X(hearth_service_handler, 16, 8)    \
  X(hearth_http_request, 88, 8)       \
  X(hearth_http_response, 40, 8)      \
  X(hearth_http_extension, 16, 8)     \
  X(hearth_data_extension, 40, 8)     \
  X(hearth_metrics_extension, 32, 8)  \
  X(hearth_calls_extension, 24, 8)    \
  X(hearth_credentials_extension, 16, 8)

/* X(type, field, offsetof) for every field of every public struct. */
#define HEARTH_EXPECTED_OFFSETS(X)                  \
  X(hearth_value, type, 0)                          \
  X(hearth_value, reserved, 4)                      \
  X(hearth_value, int64, 8)                         \
  X(hearth_value, real, 16)                         \
  X(hearth_value, data, 24)                         \
  X(hearth_value, size, 32)                         \
                                                    \
  X(hearth_event, struct_size, 0)                   \
  X(hearth_event, flags, 4)                         \
  X(hearth_event, occurred_at_ms, 8)                \
  X(hearth_event, type, 16)                         \
  X(hearth_event, subject, 24)                      \
  X(hearth_event, source, 32)                       \
  X(hearth_event, payload, 40)                      \
  X(hearth_event, sequence, 48)                     \
                                                    \
  X(hearth_migration, struct_size, 0)               \
  X(hearth_migration, version, 4)                   \
  X(hearth_migration, description, 8)              \
  X(hearth_migration, sql, 16)                      \
  X(hearth_migration, sql_postgresql, 24)           \
                                                    \
  X(hearth_host, struct_size, 0)                    \
  X(hearth_host, abi_major, 4)                      \
  X(hearth_host, abi_minor, 8)                      \
  X(hearth_host, reserved, 12)                      \
  X(hearth_host, host_data, 16)                     \
  X(hearth_host, log, 24)                           \
  X(hearth_host, config_get, 32)                    \
  X(hearth_host, clock_now_ms, 40)                  \
  X(hearth_host, bus_publish, 48)                   \
  X(hearth_host, bus_subscribe, 56)                 \
  X(hearth_host, bus_unsubscribe, 64)               \
  X(hearth_host, storage_migrate, 72)               \
  X(hearth_host, storage_execute, 80)               \
  X(hearth_host, storage_transaction, 88)           \
  X(hearth_host, get_extension, 96)                 \
  X(hearth_host, free, 104)                         \
                                                    \
  X(hearth_text_sink, struct_size, 0)               \
  X(hearth_text_sink, reserved, 4)                  \
  X(hearth_text_sink, user_data, 8)                 \
  X(hearth_text_sink, write, 16)                    \
                                                    \
  X(hearth_query_handler, struct_size, 0)           \
  X(hearth_query_handler, reserved, 4)              \
  X(hearth_query_handler, query, 8)                 \
                                                    \
  X(hearth_plugin_descriptor, struct_size, 0)       \
  X(hearth_plugin_descriptor, kind, 4)              \
  X(hearth_plugin_descriptor, id, 8)                \
  X(hearth_plugin_descriptor, name, 16)             \
  X(hearth_plugin_descriptor, vendor, 24)           \
  X(hearth_plugin_descriptor, version, 32)          \
  X(hearth_plugin_descriptor, description, 40)      \
  X(hearth_plugin_descriptor, features, 48)         \
  X(hearth_plugin_descriptor, dependencies, 56)     \
                                                    \
  X(hearth_plugin_entry, struct_size, 0)            \
  X(hearth_plugin_entry, magic, 4)                  \
  X(hearth_plugin_entry, abi_major, 8)              \
  X(hearth_plugin_entry, abi_minor, 12)             \
  X(hearth_plugin_entry, pointer_size, 16)          \
  X(hearth_plugin_entry, reserved, 20)              \
  X(hearth_plugin_entry, descriptor, 24)            \
  X(hearth_plugin_entry, init, 32)                  \
  X(hearth_plugin_entry, deinit, 40)                \
  X(hearth_plugin_entry, get_factory, 48)           \
                                                    \
  X(hearth_plugin_info, struct_size, 0)             \
  X(hearth_plugin_info, state, 4)                   \
  X(hearth_plugin_info, kind, 8)                    \
  X(hearth_plugin_info, abi_major, 12)              \
  X(hearth_plugin_info, abi_minor, 16)              \
  X(hearth_plugin_info, reserved, 20)               \
  X(hearth_plugin_info, id, 24)                     \
  X(hearth_plugin_info, name, 32)                   \
  X(hearth_plugin_info, vendor, 40)                 \
  X(hearth_plugin_info, version, 48)                \
  X(hearth_plugin_info, path, 56)                   \
  X(hearth_plugin_info, message, 64)               \
                                                    \
  X(hearth_actor, struct_size, 0)                   \
  X(hearth_actor, emergency, 4)                     \
  X(hearth_actor, user, 8)                          \
  X(hearth_actor, role, 16)                         \
  X(hearth_actor, organisation, 24)                 \
  X(hearth_actor, on_behalf_of, 32)                 \
  X(hearth_actor, access_point, 40)                 \
                                                    \
  X(hearth_record_context, struct_size, 0)          \
  X(hearth_record_context, care_basis_recorded, 4)  \
  X(hearth_record_context, tenancy_id, 8)           \
  X(hearth_record_context, portfolio_owner, 16)     \
  X(hearth_record_context, tenant_user, 24)         \
  X(hearth_record_context, reporter_user, 32)       \
  X(hearth_record_context, case_members, 40)        \
                                                    \
  X(hearth_policy_extension, struct_size, 0)        \
  X(hearth_policy_extension, reserved, 4)           \
  X(hearth_policy_extension, check, 8)              \
                                                    \
  X(hearth_signal, struct_size, 0)                  \
  X(hearth_signal, reserved, 4)                     \
  X(hearth_signal, source, 8)                       \
  X(hearth_signal, external_id, 16)                 \
  X(hearth_signal, type, 24)                        \
  X(hearth_signal, detail, 32)                      \
  X(hearth_signal, tenancy_id, 40)                  \
  X(hearth_signal, occurred_at_ms, 48)              \
  X(hearth_signal, amount_cents, 56)                \
  X(hearth_signal, severity, 64)                    \
  X(hearth_signal, reserved2, 68)                   \
  X(hearth_signal, legal_basis, 72)                 \
  X(hearth_signal, purpose, 80)                     \
  X(hearth_signal, reporter_user, 88)               \
                                                    \
  X(hearth_ingest_result, struct_size, 0)           \
  X(hearth_ingest_result, accepted, 4)              \
  X(hearth_ingest_result, duplicates, 8)            \
  X(hearth_ingest_result, rejected, 12)             \
  X(hearth_ingest_result, first_rejected, 16)       \
  X(hearth_ingest_result, reserved, 20)             \
  X(hearth_ingest_result, first_sequence, 24)       \
  X(hearth_ingest_result, last_sequence, 32)        \
                                                    \
  X(hearth_audit_record, struct_size, 0)            \
  X(hearth_audit_record, denied, 4)                 \
  X(hearth_audit_record, event, 8)                  \
  X(hearth_audit_record, objects, 16)               \
  X(hearth_audit_record, purpose, 24)               \
                                                    \
  X(hearth_audit_extension, struct_size, 0)         \
  X(hearth_audit_extension, reserved, 4)            \
  X(hearth_audit_extension, record, 8)              \
                                                    \
  X(hearth_service_handler, struct_size, 0)         \
  X(hearth_service_handler, reserved, 4)            \
  X(hearth_service_handler, call, 8)                \
                                                    \
  X(hearth_http_request, struct_size, 0)            \
  X(hearth_http_request, reserved, 4)               \
  X(hearth_http_request, method, 8)                 \
  X(hearth_http_request, path, 16)                  \
  X(hearth_http_request, query, 24)                 \
  X(hearth_http_request, body, 32)                  \
  X(hearth_http_request, body_size, 40)             \
  X(hearth_http_request, actor, 48)                 \
  X(hearth_http_request, request_id, 56)            \
  X(hearth_http_request, remote_address, 64)        \
  X(hearth_http_request, header, 72)                \
  X(hearth_http_request, internal, 80)              \
                                                    \
  X(hearth_http_response, struct_size, 0)           \
  X(hearth_http_response, reserved, 4)              \
  X(hearth_http_response, set_status, 8)            \
  X(hearth_http_response, set_header, 16)           \
  X(hearth_http_response, write, 24)                \
  X(hearth_http_response, internal, 32)             \
                                                    \
  X(hearth_http_extension, struct_size, 0)          \
  X(hearth_http_extension, reserved, 4)             \
  X(hearth_http_extension, add_route, 8)            \
                                                    \
  X(hearth_data_extension, struct_size, 0)          \
  X(hearth_data_extension, reserved, 4)             \
  X(hearth_data_extension, ingest, 8)               \
  X(hearth_data_extension, put_records, 16)         \
  X(hearth_data_extension, read, 24)                \
  X(hearth_data_extension, dead_letter, 32)         \
                                                    \
  X(hearth_metrics_extension, struct_size, 0)       \
  X(hearth_metrics_extension, reserved, 4)          \
  X(hearth_metrics_extension, describe, 8)          \
  X(hearth_metrics_extension, add, 16)              \
  X(hearth_metrics_extension, set, 24)             \
                                                    \
  X(hearth_calls_extension, struct_size, 0)         \
  X(hearth_calls_extension, reserved, 4)            \
  X(hearth_calls_extension, call, 8)                \
  X(hearth_calls_extension, factory, 16)            \
                                                    \
  X(hearth_credentials_extension, struct_size, 0)   \
  X(hearth_credentials_extension, reserved, 4)      \
  X(hearth_credentials_extension, authenticate, 8)

/* X(constant, value) for every public integer constant: once published, never renumbered.
 * (abidiff cannot see these: enums are not part of any function's signature.) */

#define HEARTH_EXPECTED_CONSTANTS(X)                 \
  X(HEARTH_PLUGIN_MAGIC, 0x48525448)                 \
  X(HEARTH_OK, 0)                                    \
  X(HEARTH_ERROR_INVALID_ARGUMENT, -1)               \
  X(HEARTH_ERROR_NOT_FOUND, -2)                      \
  X(HEARTH_ERROR_DENIED, -3)                         \
  X(HEARTH_ERROR_CONFLICT, -4)                       \
  X(HEARTH_ERROR_VERSION, -5)                        \
  X(HEARTH_ERROR_IO, -6)                             \
  X(HEARTH_ERROR_UNSUPPORTED, -7)                    \
  X(HEARTH_ERROR_PLUGIN, -8)                         \
  X(HEARTH_ERROR_STATE, -9)                          \
  X(HEARTH_ERROR_TIMEOUT, -10)                       \
  X(HEARTH_ERROR_INTERNAL, -99)                      \
  X(HEARTH_VALUE_NULL, 0)                            \
  X(HEARTH_VALUE_INT64, 1)                           \
  X(HEARTH_VALUE_DOUBLE, 2)                          \
  X(HEARTH_VALUE_TEXT, 3)                            \
  X(HEARTH_VALUE_BLOB, 4)                            \
  X(HEARTH_LOG_TRACE, 0)                             \
  X(HEARTH_LOG_DEBUG, 1)                             \
  X(HEARTH_LOG_INFO, 2)                              \
  X(HEARTH_LOG_WARN, 3)                              \
  X(HEARTH_LOG_ERROR, 4)                             \
  X(HEARTH_PLUGIN_KIND_OTHER, 0)                     \
  X(HEARTH_PLUGIN_KIND_SCORER, 1)                    \
  X(HEARTH_PLUGIN_KIND_WORKFLOW, 2)                  \
  X(HEARTH_PLUGIN_KIND_DASHBOARD, 3)                 \
  X(HEARTH_PLUGIN_KIND_ADAPTER, 4)                   \
  X(HEARTH_PLUGIN_STATE_ACTIVE, 0)                   \
  X(HEARTH_PLUGIN_STATE_REFUSED, 1)                  \
  X(HEARTH_PLUGIN_STATE_FAILED, 2)                   \
  X(HEARTH_PLUGIN_STATE_STOPPED, 3)                  \
  X(HEARTH_METRIC_COUNTER, 0)                        \
  X(HEARTH_METRIC_GAUGE, 1)

#endif /* HEARTH_TESTS_ABI_EXPECTED_LAYOUT_H */

// Numbers of the CQL native protocol v4 (doc/native_protocol_v4.spec in
// apache/cassandra): opcodes (section 2.4), query parameter and result
// metadata flags (4.1.4, 4.2.5), consistency levels (3), result kinds
// (4.2.5) and error codes (9).
#pragma once

#include <cstdint>
#include <string_view>

namespace runnel::cql {

enum class Opcode : std::uint8_t {
  kError = 0x00,
  kStartup = 0x01,
  kReady = 0x02,
  kAuthenticate = 0x03,
  kOptions = 0x05,
  kSupported = 0x06,
  kQuery = 0x07,
  kResult = 0x08,
  kPrepare = 0x09,
  kExecute = 0x0A,
  kRegister = 0x0B,
  kEvent = 0x0C,
  kBatch = 0x0D,
  kAuthChallenge = 0x0E,
  kAuthResponse = 0x0F,
  kAuthSuccess = 0x10,
};

// <query_parameters> flags of QUERY and EXECUTE (section 4.1.4); BATCH
// uses the same bits for its serial consistency and default timestamp.
inline constexpr std::uint8_t kQueryValues = 0x01;
inline constexpr std::uint8_t kQuerySkipMetadata = 0x02;
inline constexpr std::uint8_t kQueryPageSize = 0x04;
inline constexpr std::uint8_t kQueryPagingState = 0x08;
inline constexpr std::uint8_t kQuerySerialConsistency = 0x10;
inline constexpr std::uint8_t kQueryDefaultTimestamp = 0x20;
inline constexpr std::uint8_t kQueryValueNames = 0x40;

// Rows and Prepared metadata flags (sections 4.2.5.2 and 4.2.5.4).
inline constexpr std::int32_t kRowsGlobalTablesSpec = 0x0001;
inline constexpr std::int32_t kRowsHasMorePages = 0x0002;
inline constexpr std::int32_t kRowsNoMetadata = 0x0004;

enum class Consistency : std::uint16_t {
  kAny = 0x0000,
  kOne = 0x0001,
  kTwo = 0x0002,
  kThree = 0x0003,
  kQuorum = 0x0004,
  kAll = 0x0005,
  kLocalQuorum = 0x0006,
  kEachQuorum = 0x0007,
  kSerial = 0x0008,
  kLocalSerial = 0x0009,
  kLocalOne = 0x000A,
};

enum class ResultKind : std::int32_t {
  kVoid = 0x0001,
  kRows = 0x0002,
  kSetKeyspace = 0x0003,
  kPrepared = 0x0004,
  kSchemaChange = 0x0005,
};

enum class BatchType : std::uint8_t { kLogged = 0, kUnlogged = 1, kCounter = 2 };

enum class ErrorCode : std::int32_t {
  kServerError = 0x0000,
  kProtocolError = 0x000A,
  kBadCredentials = 0x0100,
  kUnavailable = 0x1000,
  kOverloaded = 0x1001,
  kIsBootstrapping = 0x1002,
  kTruncateError = 0x1003,
  kWriteTimeout = 0x1100,
  kReadTimeout = 0x1200,
  kReadFailure = 0x1300,
  kFunctionFailure = 0x1400,
  kWriteFailure = 0x1500,
  kSyntaxError = 0x2000,
  kUnauthorized = 0x2100,
  kInvalid = 0x2200,
  kConfigError = 0x2300,
  kAlreadyExists = 0x2400,
  kUnprepared = 0x2500,
};

// "ONE", "LOCAL_QUORUM", ...; "UNKNOWN" for a value not in the spec.
std::string_view consistency_name(Consistency consistency);

}  // namespace runnel::cql

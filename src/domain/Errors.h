#pragma once

#include <stdexcept>
#include <string>

namespace okarchive {

/// Base of every error okarchive reports to an operator. Messages name what failed and what to do.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad command line or configuration (exit code 2).
class UsageError : public Error {
public:
    using Error::Error;
};

/// The archive could not be read or written.
class StorageError : public Error {
public:
    using Error::Error;
};

/// A wait or a request ended because its Cancellation was cancelled (SIGTERM, SIGINT, shutdown): nothing failed,
/// the work stopped. Whatever was committed before stays.
class Cancelled : public Error {
public:
    using Error::Error;
};

/// An API call failed for good. `errorCode` is OK's error_code (0 if none), `httpStatus` the HTTP status (0 if none).
class ApiError : public Error {
public:
    ApiError(const std::string& what, int errorCode, int httpStatus)
        : Error(what), _errorCode(errorCode), _httpStatus(httpStatus) {}
    int errorCode() const { return _errorCode; }
    int httpStatus() const { return _httpStatus; }

private:
    int _errorCode;
    int _httpStatus;
};

/// The access token is invalid or expired (codes 101, 102, 103): stop everything (exit code 3).
class AuthError : public ApiError {
public:
    using ApiError::ApiError;
};

/// This chat cannot be read (codes 10, 50, 300): the chat fails, others go on.
class ChatAccessError : public ApiError {
public:
    using ApiError::ApiError;
};

/// A transient failure that outlived every retry.
class RetriesExhaustedError : public ApiError {
public:
    using ApiError::ApiError;
};

}  // namespace okarchive

#pragma once
// A run's print file: the rows of one query streamed into one PDF, one document per row, finished
// before the caller records what it holds (so a document row never names a half-written file).
// Used by the 負担割合証 and KY-16 notice passes.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "notice/document.hpp"
#include "notice/pdf_writer.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// The number of documents drawn; 0 leaves no file (PdfWriter::finish removes an empty one). The
// first failure of `render` or of the writer stops the pass and is returned.
Result<std::int64_t> print_rows(store::Database& db, const std::filesystem::path& path,
                                const notice::PdfMetadata& meta, std::string_view sql, const store::Params& params,
                                const std::function<Result<notice::Document>(const store::Row&)>& render);

}  // namespace kaigo::benefit

//! Builds the runtime's wasm blob (only for the native `std` build).

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("CROL", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// Compiling the runtime for wasm itself needs no build script.
#[cfg(not(feature = "std"))]
fn main() {}

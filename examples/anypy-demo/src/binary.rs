//! Bytes: `checksum` (Adler-32, as `zlib.adler32`) and `xor` take `&[u8]` borrowed from the
//! Python `bytes`; `xor` returns a `Vec<u8>`, which becomes `bytes`.

use anypy::exceptions::ValueError;
use anypy::{Backend, ModuleBuilder, PyErr, PyResult};

pub(crate) fn register<B: Backend>(m: &ModuleBuilder<'_, B>) -> PyResult<(), B> {
    m.add_function(checksum::function())?;
    m.add_function(xor::function())?;
    Ok(())
}

anypy::function! {
    /// Return the Adler-32 checksum of data, as zlib.adler32.
    fn checksum(data: &[u8]) -> u32 {
        const MOD: u32 = 65_521;
        let (a, b) = data.iter().fold((1u32, 0u32), |(a, b), &byte| {
            let a = (a + u32::from(byte)) % MOD;
            (a, (b + a) % MOD)
        });
        (b << 16) | a
    }
}

anypy::function! {
    /// Return data XOR key, the key repeated as needed (ValueError if the key is empty).
    fn xor<B>(data: &[u8], key: &[u8]) -> PyResult<Vec<u8>, B> {
        if key.is_empty() {
            return Err(PyErr::new::<ValueError, _>("xor(): the key is empty"));
        }
        Ok(data
            .iter()
            .zip(key.iter().cycle())
            .map(|(d, k)| d ^ k)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use anypy::ExceptionKind::{TypeError, ValueError};

    use crate::testing::{assert_raises, call, call_as, with_demo};

    #[test]
    fn checksum_is_adler32() {
        with_demo(|py, m| {
            let sum = |data: &[u8]| call_as::<u32>(m, "checksum", (data,));
            assert_eq!(sum(b""), 1);
            assert_eq!(sum(b"Wikipedia"), 0x11E6_0398);
            assert_raises(
                py,
                call(m, "checksum", ("text",)),
                TypeError,
                "checksum() argument 'data': expected bytes, got str",
            );
        });
    }

    #[test]
    fn xor_cycles_the_key_and_round_trips() {
        with_demo(|py, m| {
            let once = call(m, "xor", (&b"abc"[..], &b"\x01\x02"[..])).unwrap();
            assert_eq!(once.extract::<Vec<u8>>().unwrap(), b"``b");
            let twice = call(m, "xor", (&once, &b"\x01\x02"[..])).unwrap();
            assert_eq!(twice.extract::<Vec<u8>>().unwrap(), b"abc");
            assert_raises(
                py,
                call(m, "xor", (&b"abc"[..], &b""[..])),
                ValueError,
                "xor(): the key is empty",
            );
        });
    }
}

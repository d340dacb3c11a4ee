/**
 * SHA-256 of each codec's tuples file for 2,000 tuples of seed 42, as each codec's own dump wrote it
 * before the dataset mappings (02a29e3, 6d9a1e9): the tuples keep their own code path and their files
 * do not move (design §1). arrow-rows reads arrow's file; the text family writes one file. v8 and
 * v8-stream are left out: their bytes follow the Node version's serializer, not this code; columnar's
 * version-1 file is checked byte for byte against its own dump in test/codec-datasets-columnar.test.ts.
 */
const TEXT = 'b8d64622f68e1823c94d6a8f03dbbea2c62567661cf4254a008acd3e082be115';
export const TUPLES_SHA: Readonly<Record<string, string>> = {
  json: 'aeb29e377d1913c7ae49e7525276955b6c91bb0c940dc91f42b2c4d2678dab13',
  ndjson: '8d9d620f88ec55fa306f0ccd3fd3bc7480880dfe030ba5aa1baa9f6dcd340035',
  'json-stream': 'aeb29e377d1913c7ae49e7525276955b6c91bb0c940dc91f42b2c4d2678dab13',
  msgpack: 'b0e402457ec08c95f77857edb515d4266652a5b459eff8d38100057965f43055',
  'msgpack-stream': 'f47603ff40d4bf085172dc5e460a7c9ef5a54c7e37818168a4e31df01169b065',
  'msgpack-js': 'a0dc490560b53a6439f09963436ec9e620d2e880a05aad28cef0ad033d30942b',
  cbor: 'c763fef2fcda10f3619263bf95c34690e2ceb0c2942da7f3b6f6fe2b52cb1539',
  'cbor-stream': 'b4d26990532ed4cde22c5ef1404103afa95832c3b9c1510c81f574244415e50a',
  bson: '9418a93c1cf89bf52b18bd6c3e2d596f94396af9e9f8640f486967b0e072043d',
  'bson-stream': 'c87f0425afc0f7a9b0f09b23cd1423148655b3b27d1a2dac45af27e5c0becc0e',
  protobuf: '8d73421d20988960260505039d172e4b76aaf557411a20f9cac99032e87ba8ce',
  'protobuf-stream': '2ba09dbbe56d10cc3b3d452539347550c784c114b21e36a260e2922e9a21e738',
  avro: 'efcc238b324c3a3db8778ff9c165b049487e340ea0409366a32a31ef4c866d60',
  'avro-stream': '666c354ebc0c418e08852f3e794cc12b71713629856818e129719831a4bd8558',
  arrow: '2112fb9913a9f5316bcce0b2032fbc089b99d8efa386fec597ef68891a807230',
  'arrow-stream': 'ed34ad6ef547bb1212c7f910536712dd8529ef5d0577bf8c27fc75e45f15d6c6',
  'arrow-rows': '2112fb9913a9f5316bcce0b2032fbc089b99d8efa386fec597ef68891a807230',
  text: TEXT,
  'text-stream': TEXT,
  'text-to-columnar': TEXT,
};

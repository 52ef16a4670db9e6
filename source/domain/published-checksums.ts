// Published sha512 of the addon offline packages, copied from the DCE 5.0 download pages
// (see ../shared/domain/dce5-addon-reference.md §1.3). v0.6.0 repeats v0.5.2's values on the
// download page itself; they are kept as published.
import type {PackageKind} from './package-name.js';

export type PublishedChecksum = {version: string; kind: PackageKind; arch: string; sha512: string};

export const publishedChecksums: readonly PublishedChecksum[] = [
	{version: 'v0.5.2', kind: 'full', arch: 'amd64', sha512: '54dc896be65785a8b7403524bd4bf4f88bf805aeec293cc17f229b5ab48ba925bd2895b8a51be2ce6a1cebb999918898c8d0ce74bc86f1d5567096485d8a708e'},
	{version: 'v0.5.2', kind: 'full', arch: 'arm64', sha512: 'a006eab626ee767544cfd8757cdff6335ea1089e90f7aa3333fa2a33c0c4f87dca0afb3c7275bce940fd76984257da0e577c58d951647527933b937dc7fffa46'},
	{version: 'v0.6.0', kind: 'full', arch: 'amd64', sha512: '54dc896be65785a8b7403524bd4bf4f88bf805aeec293cc17f229b5ab48ba925bd2895b8a51be2ce6a1cebb999918898c8d0ce74bc86f1d5567096485d8a708e'},
	{version: 'v0.6.0', kind: 'full', arch: 'arm64', sha512: 'a006eab626ee767544cfd8757cdff6335ea1089e90f7aa3333fa2a33c0c4f87dca0afb3c7275bce940fd76984257da0e577c58d951647527933b937dc7fffa46'},
	{version: 'v0.8.0-rc2', kind: 'full', arch: 'amd64', sha512: '73001a2363b0c7ff804616434b5f7a77e2ea1a56471e54004a0ac5b04350692ca7973f1990080d2905ed0133005343333fb52216fdac4d6551e3e12555fc87d1'},
	{version: 'v0.8.0-rc2', kind: 'full', arch: 'arm64', sha512: '83205e13b21ef8e9cb4104a6ed9c0463b95331f40e3c5f8a3eb703c0c5a17e1c31d172cedd5b079337ded6c24731d772091f8811a1ffb3b6e328b7cb632732fa'},
	{version: 'v0.8.0', kind: 'full', arch: 'amd64', sha512: '9397d2af8cae997996b6f08cebc6318c1219c57c2f723cca76053cf34520ab83bc43125fff9498056ca732645b6941620a182792ee8da2b6a38d07b2cb55c9a2'},
	{version: 'v0.8.0', kind: 'full', arch: 'arm64', sha512: 'd522da328a286b0d063d018ee82fa74b1b8da8b7f601432c9653287774e362669e1569c87de705a14eec6d4d7613dc4b995eb104f3bc686d44d5f6dcee8a8f7d'},
	{version: 'v0.9.0', kind: 'full', arch: 'amd64', sha512: 'c4aa34b881380613535c1fce4d97310d69092d3501286c08e12e9374bcfe014d6fda5d94f2d3d3429b734b75471331f2bcd79e31e1c03170bf27adc474b99259'},
	{version: 'v0.9.0', kind: 'full', arch: 'arm64', sha512: '9069ba5ed9fda8386b17187c353d0cc9d11ae64ee9a67c4a463d35e654c6693d6b42b3e59b1cb0f0a749e9b2a60aa181d2d90e33688b0f7a4df072aaf1b5ea98'},
	{version: 'v0.10.0', kind: 'full', arch: 'amd64', sha512: '3ee83d2cf6d49f6cbb9333804434e81e7b041b60928a0ebefce0dbc7e9615fbad0eab6fa28ef681e764219555adbaf251d8ae262d707961d983fbaff560759b1'},
	{version: 'v0.10.0', kind: 'full', arch: 'arm64', sha512: 'c2f7088f3e8309dab60b9f62bc012eafe81fa6f051b1557e706962d13000d639e970f32e537ebf260fdc0ea50a33007f41df48e517d42cd73b6920fb7886a318'},
	{version: 'v0.11.0', kind: 'full', arch: 'amd64', sha512: '030d6ccef45274aa6f0ce5c54c1b4035f655fd909ec676b1c0cacc679390f6838b71328cf1d9c95a38e49b9cfef3c0b97e724be310746c715dfc0390abbb9da7'},
	{version: 'v0.11.0', kind: 'full', arch: 'arm64', sha512: '43bee8ac3873332a530f2f8c0271ca559956a61f06d6b623fd9c99525fe10de99f06e1a4197c7f8cf68aa2337c452de96234368fa5f8101347aa52790a34807a'},
	{version: 'v0.12.0', kind: 'full', arch: 'amd64', sha512: 'e253e1ed8ac7f0cecbe35a09fd87ab1880ed2ec91c96dba751a52dafc9cd76c6eb6b8b16c401353d0f5595e6225cfb6d2a394c67711bf5ea84bcce88eface341'},
	{version: 'v0.12.0', kind: 'full', arch: 'arm64', sha512: '7fbcfc7cc5e9c844ba7c43505de35ddab1eec93eecd63ef3fd65bf082074f6ac156bc9759875a0e37f1eb39568c524e1af5b208fb69854d6bb95f59972a15e64'},
	{version: 'v0.13.0', kind: 'full', arch: 'amd64', sha512: '00ce92bffe2645b05ba80039858efa4f68ad4b1dd71c6d8ae6d8ea704d0e441b557e9c860b0cab83acfca83078818cc69763ed81444df4e8966995c4a70caaee'},
	{version: 'v0.13.0', kind: 'full', arch: 'arm64', sha512: 'b8a89e01a5b612e55cdb2164764092b124bbc6cfb51f2e92d85c5eeb4f7185a727fb181a3720f29bd3787d61dbc2b30566669fe42af5035f4969ead5c54621ac'},
	{version: 'v0.14.0', kind: 'full', arch: 'amd64', sha512: 'ce12cb9098695ae7d33d35a2254d1cc444412006bdf39fb0a7f93ac1999552375fc78ef003f9d58920250f29f73cda9c0975ed07c3929e2c533672463fc32cc7'},
	{version: 'v0.14.0', kind: 'full', arch: 'arm64', sha512: 'fbebfd32fbc5fbf8f26a8e9b114ed2d5a561e4b10d8bfd2e7495f0673dff70dcf4f0773dbc406d5cd4614b0c4e9e1412ffb0765ee159cbc520e17f5cd940040f'},
	{version: 'v0.15.0', kind: 'full', arch: 'amd64', sha512: '29724c6d32209546ee20ff523537c1569f88cf69ce339c54eef6ba1b1dd19e5f5ba8e8157d105613c45ce10da1d4bab31bd027fdfbb8fa41b8c4957193916e4a'},
	{version: 'v0.15.0', kind: 'full', arch: 'arm64', sha512: 'e3cf823bde1c090f75cffe7868edb92fd3bebf20eeddb87420bea2e8051d8723a890134212026d7e4d1dcf97ee9a2c4bd0b5a1869dc56b6b3939a30717d1a8ae'},
	{version: 'v0.16.0', kind: 'full', arch: 'amd64', sha512: '116d878c725d361150c930861d9f470a078fdabfff586fd265ae29f3973d20c55d53bce2d7841433c70e6412202c044c4d3535df694995243b4e88cc6c577fb5'},
	{version: 'v0.16.0', kind: 'full', arch: 'arm64', sha512: '5168ed3c282af73628129a6141296e37a2ea6d035c1c9ae62e08c3c5eec2f5e8aabd378ff4d6ba2d7311a7456b133c3e5b2b02c0e48a218a56d5e5176895d792'},
	{version: 'v0.17.0', kind: 'full', arch: 'amd64', sha512: '1e028e27193bd4215df68938d26f837e52a849a589a289ce9869cbef6c71d62e1329d55bc92279612263a811971ac1cb5758d106dbf4dd366cdfb35ff701882c'},
	{version: 'v0.17.0', kind: 'full', arch: 'arm64', sha512: '06e9d31dd9ded584c4f42c91df475a056f2fb10ccdc1dd71a40ffdc8e0fb5a288ec1107669b7f5a2212823a8c2392bec2232ab195ebfb70c32c32f136393fe90'},
	{version: 'v0.18.0', kind: 'standard', arch: 'amd64', sha512: '0984c5eb350bc2182097366027cd59cead35de602feb847f63ff703c10e2a59986855f89406ecd3a29bb143328ff7208a6701856d94d2f9b48d78670db4fae39'},
	{version: 'v0.18.0', kind: 'standard', arch: 'arm64', sha512: 'c279815db43a55c43a2cbc10ad8d6d4aa7448e02248a0b70070da770a9b3dba252a5046461cf07c8390a4a6d725b84b3aa03745190fcf27cd34d6e75bd04e31c'},
	{version: 'v0.18.0', kind: 'gpu', arch: 'amd64', sha512: '942860866872d4b727ab451ef02f4747bb7dbdd30c5b26d21bc94d4be5d8de9db54260b32403543cddbc378f3bdeed5669354808d291b9866f915d16ccb65f67'},
	{version: 'v0.19.0', kind: 'standard', arch: 'amd64', sha512: '139fbcd3d5436e3a1d8f219da402507a383ed548794b783458686e343e6c467693f3f9957557283b9296cb864a03fa23e80f75524da54c55d8a0bef831342f97'},
	{version: 'v0.19.0', kind: 'standard', arch: 'arm64', sha512: '0d01300a0eb06046e6d87395186889543fecb70394c015188a027e9bd45b669c87748a32ee5d61dbd29783c5bb6a526ea24c188f1a65724e6e711d45828754e0'},
	{version: 'v0.19.0', kind: 'gpu', arch: 'amd64', sha512: 'f5a202921919e9a0b8c4d153104d53c06c3346eb3759fca066ba1b3943dd3122492632b40c850d5966634e725c3fd9502329a2bd736cacf946e8870a9f6f21ed'},
	{version: 'v0.20.0', kind: 'standard', arch: 'amd64', sha512: '5a7c1b109fe8920732e3e9c64c0ec37cc7c224e6c9ca6aeb059a6db7df82087579824ec2c4bf156540b58cf247886c335f2e19b633ed3b9a74892f64a2ccade5'},
	{version: 'v0.20.0', kind: 'standard', arch: 'arm64', sha512: 'e6d0fe3410de15c50f975661ceb1565a7dc6bf7e9c2f2c4e4f56ab12425a7135e03735a64594371f0d00df65e3f85a3462e39e094c0930f5a679adb25918365e'},
	{version: 'v0.20.0', kind: 'gpu', arch: 'amd64', sha512: '5ca69be6eb21f2a1bff497402f8f284a966669c6006c54869affece8825830a6df76367975f85bd9a1ec02539f224906dc5fe55b4360869297a520eec3618c10'},
	{version: 'v0.21.0', kind: 'standard', arch: 'amd64', sha512: '725d1a74460d74845084201d5e23b2d547fc11a5856c4417f07fd8b465a54bdd033fd080d6cedfa52a70c3e718fd63ccda7f8b63734e5fecc8f390364f373b00'},
	{version: 'v0.21.0', kind: 'standard', arch: 'arm64', sha512: '251a42022836886a8462a0cd4917a8c73161c9db8d68c52bf98112f85b3ad30588cfa22f12b7f6d59a435cba633b028ddd7962b5bb46f2ded8033437eb8c72df'},
	{version: 'v0.21.0', kind: 'gpu', arch: 'amd64', sha512: 'f07bae3a54dbec43de0285b950b84f9267ebd68592d3af0953f57bec95eb8859ea34e362bcd9dc4390245d6163bdf144ee744762d01417195b2f7b1a7e05ea0f'},
	{version: 'v0.22.0', kind: 'standard', arch: 'amd64', sha512: '72768511260e4fad58c4b71b1f272acd3129d9658e9c4fa3ce17bbf85dbb654af2bf62abe7cf5ce40163c49b6fddd5820836e03dabffca78bef8e580b6b2a4f7'},
	{version: 'v0.22.0', kind: 'standard', arch: 'arm64', sha512: '0944ece751afaafa319f4d6fd54c33b9e4d6381b926f5ef2c168c86562104dabe78d90b1aed761d946e10e60c2b45e5a6b620095ce4694e34d5c6a785b58ba4f'},
	{version: 'v0.22.0', kind: 'gpu', arch: 'amd64', sha512: '1d9d10b7cd3485c22f0397f29809672584611fba9245701eb64cd6d3aeb64aeb29f2c3dc09c2348ce28d36fa64f588ed8e62c6d6c3039391f029c993170e4e65'},
	{version: 'v0.23.0', kind: 'standard', arch: 'amd64', sha512: '856444bd0ef0f9c34889af1c15a1b38200a22a459226b0efffb37519dfc32d5e906cdc54b3c3d750adf8c0268cc4e11b203f32073bf889e470315d3e8809e37f'},
	{version: 'v0.23.0', kind: 'standard', arch: 'arm64', sha512: '8bf2981b87f4afacdf6f2b79b35c2d91c563bbf970f412f02efdcd5c99fc8c7ddedbe7cd36db09312d9f42924926d6328265c73bd3e33fced22b15ea9a1f70b2'},
	{version: 'v0.23.0', kind: 'gpu', arch: 'amd64', sha512: 'b4dbc50d5109944670f0582b9491acacecf06a38f57c986c2155d389820141e9c0af3cac9ebc43b5c99bc3fa43a6683ecb8d19076544228e2bcd9ef77b854d42'},
	{version: 'v0.24.0', kind: 'standard', arch: 'amd64', sha512: '282a9fc97ddf05f79ea70fbbd02e7c7c8e183ac793930474b80ecd33f313f8e3f0aad00ba94c425743921e407203bbf53083bcb7a646bc082c7f90117570305a'},
	{version: 'v0.24.0', kind: 'standard', arch: 'arm64', sha512: '4a7baa0dc1be699dc273b6f301d41b2586f581194bef84909ef59f006fdfdc158cb5472abe3de1ccb5cd5404fe393e125ba9f0eed3c6420bfdbf926a9d7af498'},
	{version: 'v0.24.0', kind: 'gpu', arch: 'amd64', sha512: '4813ca0e7010e75f13727fdf8357411a2754eebc247a169e182aac1a8d9ad67e68c59842426bede46eb528ce13c714dc9a0e7b58ffd7cf020917f7a3bae2e83c'},
	{version: 'v0.25.0', kind: 'standard', arch: 'amd64', sha512: 'fa29b8467de295e44ca8a6033b7d58f0189683266749e5bdfe7a81db98de3306502ed476df4d8ec509c650edfcef2e1641ff45537fa66c8911b551a4c0137bf1'},
	{version: 'v0.25.0', kind: 'standard', arch: 'arm64', sha512: '8adf1ebd5649d72abc38e9b963aa9dcf90873eb2f1dc2fa51775c5ed214fb9901851b590500eaa982d3610f1ccb4b549a550097de80cf7e7a353584e16ac87d7'},
	{version: 'v0.25.0', kind: 'gpu', arch: 'amd64', sha512: '105bd5a746e4722a657443fdc67ae9694d05c7cd9ad472ad7e978845654b6deaad1f1fb9d44f104f2c2deb6dfeaab78c4e105e4f7d8e7d4d79d88c25b328d253'},
	{version: 'v0.26.0', kind: 'standard', arch: 'amd64', sha512: 'a4a8992549cedad709c034f1370c2c47c429fa901206579b86d9489f7a7e073060d30ad24a65cd4e73260092c191cda451f3e889d4e8aca442a4e18810bf1cf6'},
	{version: 'v0.26.0', kind: 'standard', arch: 'arm64', sha512: 'c382240adf96d4a5b8dcf7bf13c36e7f37d4dee8f855d0f496c46e493a871c731bf53ef92cdfa937097ec42fa1c213ac83792db0236ee7ff17de339ceefc88a3'},
	{version: 'v0.26.0', kind: 'gpu', arch: 'amd64', sha512: '0011998c166f9e0af335a4851ce5b574ce17b666494712a97ffe34701a77ed12bf9951f12b0dc1d5d56fbabfe5173c900b2837ebfd295e8085aa6bb26fb3a110'},
	{version: 'v0.27.0', kind: 'standard', arch: 'amd64', sha512: '02cf82ba541f6b502d45593ea4c9d0634dff548e6272cb0856d33bb77a5849634a6b587bf88873b138632fc5d86aab78b2cbd82b4351584bccb66b1eb42d5bbb'},
	{version: 'v0.27.0', kind: 'standard', arch: 'arm64', sha512: '0560b41bfdd491f6d20ffe0bc3db437fe8da29c74e0760e300a7ab056c55341028c99af989a2d51d2661eb2c03a8f432dcbafb69ab241d6f4d8cc5169359ff48'},
	{version: 'v0.27.0', kind: 'gpu', arch: 'amd64', sha512: 'd436df805e8cb26528f652a831f0ce7a45b1618988a67fef212f4ac864677dce561658112a82bacd69d4e109fffedf7b0043a170615d3b4e6063c37c329e00bc'},
];

/** The published sha512 for a package, matched on version (with or without `v`), kind and arch. */
export function findPublishedChecksum(version: string, kind: PackageKind, arch: string): PublishedChecksum | undefined {
	const wanted = version.startsWith('v') ? version : `v${version}`;
	return publishedChecksums.find(item => item.version === wanted && item.kind === kind && item.arch === arch);
}

/** Every published entry with this sha512 (a renamed file still matches its real identity). */
export function findBySha512(sha512: string): PublishedChecksum[] {
	return publishedChecksums.filter(item => item.sha512 === sha512);
}

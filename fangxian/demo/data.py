"""Fixed material for the demo township 乌龙镇 (东川区, 昆明市, 云南省). Pure data, no Django.

The villages and their codes are real (NBS 2023). The township's own report says it set up 98
grids "以村民小组为单位"; how they split over the villages, the group names other than 瓦房村's
黄包谷地组, and every resident are invented.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TOWNSHIP_CODE = "530113105"
GRID_TOTAL = 98

# Grids per village or community: bigger villages get more, the three communities a few.
VILLAGE_GRIDS = {
    "碑棋社区": 4,
    "店房社区": 3,
    "跑马社区": 3,
    "大村子村": 9,
    "马店村": 8,
    "土城村": 10,
    "园子村": 6,
    "半坡村": 7,
    "坪子村": 6,
    "坝塘村": 9,
    "水井村": 7,
    "包包村": 6,
    "大水井村": 9,
    "瓦房村": 11,
}

# Villager groups per grid, and how often each count occurs.
GROUPS_PER_GRID_WEIGHTS = {1: 50, 2: 35, 3: 15}

# 瓦房村's first grid starts with its real group (the 2020 isolation zone).
FIRST_GROUPS = {"瓦房村": "黄包谷地组"}

# Villages whose groups are numbered (第三组) rather than named after a place.
NUMBERED_GROUP_VILLAGES = {"马店村", "半坡村"}

# Place names of the kind Yunnan mountain villages give their groups.
GROUP_NAMES = _words(
    "大石头组 上村组 下村组 中村组 新村组 老村组 大麦地组 小麦地组 松树林组 核桃箐组 梨树坪组 "
    "大坪子组 小坪子组 箐口组 箐头组 干沟组 水塘组 岩脚组 坡头组 凹子组 田坝组 龙潭组 大湾组 "
    "小湾组 沙沟组 荞地组 马鞍山组 大凹子组 新房子组 老房子组 石板房组 碾房组 磨盘地组 营盘组 "
    "梁子组 大平地组 小村组 河边组 对门组 后山组 火石地组 白泥塘组 红土坡组 黑泥地组 大箐组 "
    "小箐组 长地组 花椒园组 柿花树组 杨柳树组 尖山组 岔河组 落水洞组 旧村组 大地组 山后组 "
    "大水沟组 小水沟组 烂泥箐组 青龙组 石灰窑组 瓦窑组 板桥组 大路边组 丫口组 小河组"
)

# Surname weights for a township of 东川区 (阮, 虎 and 马 are strong locally).
SURNAMES = {
    "张": 90, "李": 80, "王": 55, "杨": 60, "刘": 40, "陈": 40, "赵": 30, "马": 40, "阮": 22,
    "黄": 20, "周": 18, "吴": 18, "朱": 18, "罗": 28, "何": 20, "徐": 14, "虎": 12, "孙": 10,
    "胡": 15, "郭": 10, "高": 10, "段": 12, "邓": 9, "余": 8, "谢": 8, "彭": 7, "曹": 6,
    "袁": 7, "尹": 6, "熊": 6, "石": 6, "宋": 6, "梁": 6, "唐": 6, "董": 6, "普": 5, "郑": 5,
    "曾": 5, "魏": 5, "苏": 5, "卢": 5, "冯": 5, "韩": 4, "程": 4, "许": 4, "田": 4, "任": 4,
    "范": 4, "廖": 4, "龙": 4, "白": 4, "吕": 4, "蒋": 4, "丁": 4, "叶": 4, "潘": 4, "杜": 4,
    "钱": 2, "沈": 3, "姚": 3, "汪": 3, "夏": 3, "钟": 3, "戴": 3, "方": 3, "邹": 3, "金": 3,
    "毛": 3, "邱": 3, "秦": 3, "史": 3, "侯": 3, "雷": 3, "万": 3, "文": 3, "者": 2, "孔": 2,
}  # fmt: skip

# Characters for given names by birth cohort, as rural Yunnan named its children.
GIVEN_NAME_CHARS = {
    ("M", "old"): "发正国明文华学成德忠富贵荣林才顺云福海兴开昌万有祥光清贤良权金",
    ("F", "old"): "秀英兰芬珍凤琼美翠芝桂仙菊玉莲花粉会淑芳香春梅存焕",
    ("M", "middle"): "建军伟勇斌强刚涛杰鹏俊辉磊波峰华平云东江龙飞超林明宏兵志红",
    ("F", "middle"): "丽艳敏燕娟霞静红琴萍玲芳梅婷莉娜雪慧琳倩颖芬",
    ("M", "young"): "浩宇轩睿子晨俊杰博泽铭宸鑫阳天一嘉航奕哲皓然思文",
    ("F", "young"): "欣怡梓涵雨思诗佳可馨悦琪萱彤紫雅梦晴妍婉瑶语",
}

# Where residents' ID numbers were issued: mostly 东川区, a minority from neighbouring counties.
LOCAL_AREA_CODE = "530113"  # 东川区
OTHER_AREA_CODES = {
    "530128": 30,  # 禄劝彝族苗族自治县
    "530129": 25,  # 寻甸回族彝族自治县
    "530326": 30,  # 会泽县
    "530102": 10,  # 五华区
    "530103": 5,  # 盘龙区
}

MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "180 181 182 183 185 186 187 188 189 191 193 195 198 199"
)

DEMO_PASSWORD = "Fangxian-2026"
DEMO_URL = "http://127.0.0.1:8000/"
